using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Forwarder.Packets;

namespace Forwarder.FlowTable;

/// <summary>
/// One slot of a <see cref="ConnectionTable"/>: the key it holds and the backend it maps to, padded
/// to a cache line so that reading a slot touches exactly one line. Whether the slot is in use and
/// when it was last seen live in the bucket's tag and stamp words, not here.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = Bytes)]
internal struct FlowEntry
{
    public const int Bytes = 64;

    public WireAddress Client;
    public WireAddress Vip;
    public WireAddress Backend;

    /// <summary><see cref="FlowKey.Identity"/> of the key held.</summary>
    public ulong Identity;

    public IpVersion BackendVersion;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool Holds(in FlowKey key) =>
        Identity == key.Identity && Client == key.Client && Vip == key.Vip;
}
