using System.Runtime.Versioning;

namespace AfXdp.Tests;

/// <summary>A failed set-up call's message names the call and errno and, where operators meet the errno, what to do.</summary>
[SupportedOSPlatform("linux")]
public sealed class XdpExceptionTests
{
    [Fact]
    public void A_native_attach_refused_with_enospc_explains_the_veth_queue_rule()
    {
        var e = new XdpException(XdpException.AttachCall, Errnos.ENOSPC, "ifindex 5, Native mode");

        Assert.StartsWith("bpf_xdp_attach (ifindex 5, Native mode) failed: ENOSPC (", e.Message, StringComparison.Ordinal);
        Assert.Contains("as many RX queues on this side as the peer has TX queues", e.Message, StringComparison.Ordinal);
        Assert.Contains("numrxqueues/numtxqueues", e.Message, StringComparison.Ordinal);
        Assert.Contains("--xdp-mode skb", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_native_attach_refused_with_erange_names_the_peer_mtu()
    {
        var e = new XdpException(XdpException.AttachCall, Errnos.ERANGE, "ifindex 5, Native mode");

        Assert.Contains("failed: ERANGE (", e.Message, StringComparison.Ordinal);
        Assert.Contains("peer's MTU", e.Message, StringComparison.Ordinal);
        Assert.Contains("--xdp-mode skb", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Enospc_of_another_call_gets_no_veth_advice()
    {
        var e = new XdpException("bpf_map_update_elem", Errnos.ENOSPC);

        Assert.Equal(Errnos.ENOSPC, e.Errno);
        Assert.Equal("ENOSPC", e.ErrnoName);
        Assert.DoesNotContain("veth", e.Message, StringComparison.Ordinal);
    }
}
