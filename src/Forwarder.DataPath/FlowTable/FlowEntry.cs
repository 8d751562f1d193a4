using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Forwarder.Packets;

namespace Forwarder.FlowTable;

/// <summary>
/// One slot of a <see cref="ConnectionTable"/>: the key it holds and the backend (address, version and
/// port: 59 of the 64 bytes) it maps to, padded
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

    /// <summary>The backend's port as the caller gave it (a nat backend's, as <c>BackendEntry.NatPort</c> holds it); 0 = none.</summary>
    public ushort BackendPort;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool Holds(in FlowKey key) =>
        Identity == key.Identity && Client == key.Client && Vip == key.Vip;
}
