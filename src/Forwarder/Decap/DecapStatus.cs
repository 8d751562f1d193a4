using System.Net;

namespace Forwarder.Decap;

/// <summary>A decap program attached to an interface: its configuration as the kernel holds it, and its counters.</summary>
public sealed record DecapStatus(InterfaceXdpProgram Program, int GuePort, bool AnyDestination, IReadOnlyList<IPAddress> Destinations, DecapCounters Counters);
