namespace AfXdp;

/// <summary>Which way a tc (clsact) filter sees an interface's packets; the values are libbpf's <c>BPF_TC_*</c>.</summary>
public enum TcDirection
{
    /// <summary>Packets the interface received, before the stack sees them.</summary>
    Ingress = 1,

    /// <summary>Packets the stack sends out of the interface, before its queue.</summary>
    Egress = 2,
}
