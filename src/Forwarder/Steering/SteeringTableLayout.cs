namespace Forwarder.Steering;

/// <summary>
/// The contents of one buffer of redirect.c's <c>vip_table</c> or <c>nat_table</c> for a key set: open addressing with
/// linear probing, every key within <see cref="Probes"/> slots of its hash, a power of two of slots at most half full.
/// The layout is a function of the key set alone (keys placed in byte order, seeds tried in a fixed order), so the
/// same keys always give the same slots. A seed that leaves a key beyond the bound is replaced by the next; after
/// <see cref="SeedsPerSize"/> seeds the table doubles, up to <see cref="MaxSlots"/>.
/// </summary>
public sealed class SteeringTableLayout
{
    /// <summary>PROBES in redirect.c.</summary>
    public const int Probes = 8;

    /// <summary>TABLE_SLOTS in redirect.c: the slots of one buffer.</summary>
    public const int MaxSlots = 131072;

    /// <summary>The most keys one table takes: a quarter of its slots, where 8 linear probes reach every key.</summary>
    public const int MaxKeys = 32768;

    private const int MinSlots = 16;
    private const int SeedsPerSize = 32;

    private SteeringTableLayout(SteeringSlot[] slots, ulong seed, int keyCount)
    {
        Slots = slots;
        Seed = seed;
        KeyCount = keyCount;
    }

    /// <summary>The buffer's first <c>Slots.Length</c> entries; the program masks every index below that.</summary>
    public SteeringSlot[] Slots { get; }

    public ulong Seed { get; }

    public int KeyCount { get; }

    public TableShape Shape => new() { Seed = Seed, Mask = (uint)Slots.Length - 1 };

    /// <summary>Lays out <paramref name="keys"/>; <paramref name="what"/> names the table in the message of a refusal.</summary>
    /// <exception cref="InvalidOperationException">More than <see cref="MaxKeys"/> keys, or no layout within the bounds.</exception>
    public static SteeringTableLayout Build(IEnumerable<VipMapKey> keys, string what)
    {
        VipMapKey[] ordered = keys.Distinct().Order(KeyOrder.Instance).ToArray();
        if (ordered.Length > MaxKeys)
            throw new InvalidOperationException(
                $"the XDP program's {what} table takes at most {MaxKeys} keys, this configuration needs {ordered.Length}: steer fewer addresses, ports or protocols");
        for (int slots = SlotsFor(ordered.Length); slots <= MaxSlots; slots *= 2)
        {
            for (int attempt = 0; attempt < SeedsPerSize; attempt++)
            {
                ulong seed = SteeringHash.Seed(attempt);
                if (TryPlace(ordered, slots, seed) is { } placed)
                    return new SteeringTableLayout(placed, seed, ordered.Length);
            }
        }
        throw new InvalidOperationException(
            $"the XDP program's {what} table found no layout of its {ordered.Length} keys within {Probes} probes in {MaxSlots} slots: steer fewer addresses, ports or protocols");
    }

    /// <summary>The slot the program finds <paramref name="key"/> in (as redirect.c's <c>listed</c> probes), or −1.</summary>
    public int Find(in VipMapKey key)
    {
        uint mask = (uint)Slots.Length - 1;
        uint start = SteeringHash.Slot(SteeringHash.Address(key), SteeringHash.Tail(key), Seed);
        for (uint i = 0; i < Probes; i++)
        {
            int index = (int)((start + i) & mask);
            if (Slots[index].IsEmpty)
                return -1;
            if (Slots[index].Key.Equals(key))
                return index;
        }
        return -1;
    }

    private static int SlotsFor(int keys)
    {
        int slots = MinSlots;
        while (slots < 2 * keys)
            slots *= 2;
        return slots;
    }

    private static SteeringSlot[]? TryPlace(VipMapKey[] keys, int slots, ulong seed)
    {
        var table = new SteeringSlot[slots];
        uint mask = (uint)slots - 1;
        foreach (VipMapKey key in keys)
        {
            uint start = SteeringHash.Slot(SteeringHash.Address(key), SteeringHash.Tail(key), seed);
            bool placed = false;
            for (uint i = 0; i < Probes && !placed; i++)
            {
                ref SteeringSlot slot = ref table[(start + i) & mask];
                if (slot.IsEmpty)
                {
                    slot = new SteeringSlot(key);
                    placed = true;
                }
            }
            if (!placed)
                return null;
        }
        return table;
    }

    /// <summary>Keys by their bytes: the order keys are placed in.</summary>
    private sealed class KeyOrder : IComparer<VipMapKey>
    {
        public static readonly KeyOrder Instance = new();

        public unsafe int Compare(VipMapKey x, VipMapKey y) =>
            new ReadOnlySpan<byte>(&x, sizeof(VipMapKey)).SequenceCompareTo(new ReadOnlySpan<byte>(&y, sizeof(VipMapKey)));
    }
}
