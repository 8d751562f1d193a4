using Forwarder.Packets;

namespace Forwarder.FlowTable;

/// <summary>
/// One live connection of a <see cref="ConnectionTable"/> as <see cref="ConnectionTable.Sample"/> read it beside
/// the worker: the client's address and port, the VIP's port, the protocol, the backend it is remembered on
/// (address, version and nat port, 0 = none) and how long ago the worker last saw it.
/// </summary>
public readonly record struct ConnectionSample(WireAddress Client, ushort ClientPort, ushort VipPort, byte Protocol, IpVersion Version,
    WireAddress Backend, IpVersion BackendVersion, ushort BackendPort, TimeSpan Idle);
