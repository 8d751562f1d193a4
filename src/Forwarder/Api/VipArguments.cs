using Forwarder.ControlPlane;

namespace Forwarder.Api;

/// <summary>The parts of a VIP's URL as received; read (and refused when malformed) as part of the change.</summary>
internal sealed record VipArguments(string Address, string Port, string Protocol)
{
    /// <exception cref="InvalidRequestException">A part is malformed.</exception>
    public VipIdentity Identity() => VipRoute.Parse(Address, Port, Protocol);
}
