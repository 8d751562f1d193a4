using System.Net;
using AfXdp;

namespace Forwarder.Steering;

/// <summary>
/// The third bitmap of redirect.c's <c>addr_filter</c> (words <c>2 × AddressFilter.Words</c> on): a bit per hash of this
/// host's addresses, tested before a nat backend's packet looks its destination up in <c>host_addrs</c>. A bit is set
/// once its address is in <c>host_addrs</c>, and cleared when the last address of this writer that hashes to it leaves;
/// bits found set when this writer started (another writer's, e.g. an upgrade's predecessor) are kept: a false positive
/// costs only the lookup.
/// </summary>
public sealed class HostAddressBits
{
    private const int First = 2 * AddressFilter.Words;

    private readonly BpfMap _filter;
    private readonly object _gate = new();
    private readonly Dictionary<int, int> _addressesPerBit = [];
    private ulong[]? _words;

    public HostAddressBits(BpfMap filter) => _filter = filter;

    public void Add(IPAddress address)
    {
        lock (_gate)
        {
            int bit = Bit(address);
            _addressesPerBit[bit] = _addressesPerBit.GetValueOrDefault(bit) + 1;
            Write(bit, set: true);
        }
    }

    public void Remove(IPAddress address)
    {
        lock (_gate)
        {
            int bit = Bit(address);
            int left = _addressesPerBit.GetValueOrDefault(bit) - 1;
            if (left > 0)
            {
                _addressesPerBit[bit] = left;
                return;
            }
            if (_addressesPerBit.Remove(bit))
                Write(bit, set: false);
        }
    }

    private static int Bit(IPAddress address) => SteeringHash.FilterBit(SteeringHash.Address(VipMapKey.ForAddress(address)));

    private void Write(int bit, bool set)
    {
        _words ??= Read();
        int word = bit >> 6;
        ulong next = set ? _words[word] | 1UL << (bit & 63) : _words[word] & ~(1UL << (bit & 63));
        if (next == _words[word])
            return;
        _filter.Update((uint)(First + word), next);
        _words[word] = next;
    }

    private ulong[] Read()
    {
        var words = new ulong[AddressFilter.Words];
        for (int i = 0; i < words.Length; i++)
            words[i] = _filter.Lookup<uint, ulong>((uint)(First + i));
        return words;
    }
}
