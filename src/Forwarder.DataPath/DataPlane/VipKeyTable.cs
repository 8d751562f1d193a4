using System.Runtime.CompilerServices;

namespace Forwarder.DataPlane;

/// <summary>
/// An immutable map from <see cref="VipKey"/> to a non-negative value, for the data path: open
/// addressing with linear probing in a power-of-two table at most half full, so a lookup touches one
/// or two slots and never allocates. Built once by the control plane.
/// </summary>
public sealed class VipKeyTable
{
    private readonly VipKey[] _keys;
    private readonly int[] _values;
    private readonly int _mask;

    public VipKeyTable(IReadOnlyCollection<KeyValuePair<VipKey, int>> entries)
    {
        int capacity = 8;
        while (capacity < entries.Count * 2)
            capacity *= 2;
        _keys = new VipKey[capacity];
        _values = new int[capacity];
        _mask = capacity - 1;
        Array.Fill(_values, -1);
        foreach ((VipKey key, int value) in entries)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            int slot = (int)(key.Mix() & (uint)_mask);
            while (_values[slot] >= 0)
            {
                if (_keys[slot].Equals(key))
                    throw new ArgumentException($"duplicate key {key.Address} {key.Meta:x8}");
                slot = (slot + 1) & _mask;
            }
            _keys[slot] = key;
            _values[slot] = value;
        }
        Count = entries.Count;
    }

    public static readonly VipKeyTable Empty = new([]);

    public int Count { get; }

    /// <summary>The value of <paramref name="key"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(in VipKey key)
    {
        VipKey[] keys = _keys;
        int[] values = _values;
        int slot = (int)(key.Mix() & (uint)_mask);
        while (true)
        {
            int value = values[slot];
            if (value < 0 || keys[slot].Equals(key))
                return value;
            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>The value of <paramref name="key"/>, else of the same key with port 0, else -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int FindWithAnyPort(in VipKey key)
    {
        int value = Find(key);
        return value >= 0 ? value : Find(key.AnyPort);
    }
}
