using AfXdp;

namespace Forwarder.Decap;

/// <summary>An XDP program attached to an interface: its id, its name as the kernel keeps it (15 characters) and its mode.</summary>
public sealed record InterfaceXdpProgram(uint Id, string Name, XdpMode Mode)
{
    public string ModeName => Mode == XdpMode.Skb ? "skb" : "native";

    /// <summary>The program as AfXdp names one to replace or detach.</summary>
    internal AttachedProgram Attached => new(Id, Name);
}
