using System.Net;
using Forwarder.Configuration;

namespace Forwarder.ControlPlane;

/// <summary>
/// "Where does this flow go?": a client (address and port; port null = not given, hashed as 0), a VIP address
/// with its port (null = not given: only an every-port VIP matches) and tcp or udp. The addresses are of one IP version.
/// <paramref name="ConnectionId"/>: a QUIC destination connection id (8..20 bytes) to ask a quic VIP about, or null.
/// </summary>
public sealed record FlowQuery(IPAddress Client, ushort? ClientPort, IPAddress Vip, ushort? VipPort, VipProtocol Protocol, byte[]? ConnectionId = null);
