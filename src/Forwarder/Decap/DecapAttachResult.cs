using System.Net;

namespace Forwarder.Decap;

/// <summary>What `decap attach` did: the program now on the interface, the destinations it accepts, and the decap program it replaced, if any.</summary>
public sealed record DecapAttachResult(InterfaceXdpProgram Program, int GuePort, bool AnyDestination, IReadOnlyList<IPAddress> Destinations, InterfaceXdpProgram? Replaced);
