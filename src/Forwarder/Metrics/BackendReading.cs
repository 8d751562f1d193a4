using System.Net;

namespace Forwarder.Metrics;

/// <summary>
/// One configured backend of a VIP at an instant: its configured weight, whether it is up (not marked
/// down by health checking) and what was forwarded to its address since the start.
/// </summary>
public sealed record BackendReading(IPAddress Address, ushort? Port, uint Weight, bool Up, long Packets, long Bytes);
