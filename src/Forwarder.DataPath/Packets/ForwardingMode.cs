namespace Forwarder.Packets;

/// <summary>How a VIP's packets are rewritten on their way to a backend.</summary>
public enum ForwardingMode
{
    /// <summary>IP-in-IP encapsulation towards the backend (Katran's default); the backend answers the client directly.</summary>
    Ipip,

    /// <summary>UDP encapsulation (Generic UDP Encapsulation) to a fixed destination port; needs an outer source address per family.</summary>
    Gue,

    /// <summary>Layer-2 direct server return: only the destination MAC changes, so every backend needs a MAC on the local segment.</summary>
    DsrL2,

    /// <summary>Destination NAT: the destination address (and optionally port) become the backend's.</summary>
    Nat,
}
