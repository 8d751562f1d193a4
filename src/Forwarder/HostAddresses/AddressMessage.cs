using System.Net;

namespace Forwarder.HostAddresses;

/// <summary>One RTM_NEWADDR or RTM_DELADDR message: an address of an interface, added (or listed by a dump) or removed.</summary>
public readonly record struct AddressMessage(bool Added, IPAddress Address, int InterfaceIndex);
