using System.Runtime.InteropServices;

namespace AfXdp;

/// <summary>
/// A set-up call failed. Names the call and the errno and, for the failures operators meet, says what to do.
/// Thrown only from set-up code; the data path never throws.
/// </summary>
public sealed class XdpException : Exception
{
    public XdpException(string call, int errno, string? context = null)
        : base(Describe(call, errno, context))
    {
        Call = call;
        Errno = errno;
    }

    public string Call { get; }

    /// <summary>The positive errno value.</summary>
    public int Errno { get; }

    public string ErrnoName => Errnos.Name(Errno);

    /// <summary>The libbpf call that attaches an XDP program: some of its errnos mean something of their own.</summary>
    public const string AttachCall = "bpf_xdp_attach";

    /// <summary>Throws for a libxdp/libbpf-style result: a negative errno.</summary>
    public static int ThrowIfNegative(int result, string call, string? context = null) =>
        result < 0 ? throw new XdpException(call, -result, context) : result;

    /// <summary>Throws with the errno the last P/Invoke left behind.</summary>
    public static XdpException FromLastError(string call, string? context = null) =>
        new(call, Marshal.GetLastPInvokeError(), context);

    private static string Describe(string call, int errno, string? context)
    {
        string where = context is null ? "" : $" ({context})";
        string text = $"{call}{where} failed: {Errnos.Name(errno)} ({Marshal.GetPInvokeErrorMessage(errno)})";
        string? advice = Advice(call, errno);
        return advice is null ? text : $"{text}. {advice}";
    }

    private static string? Advice(string call, int errno) => errno switch
    {
        // A veth refuses native XDP with these two (its extack message goes to libbpf's log only).
        Errnos.ENOSPC when call == AttachCall =>
            "On a veth, native XDP needs at least as many RX queues on this side as the peer has TX queues, and the peer has more: " +
            "create the pair with matching numrxqueues/numtxqueues (or ethtool -L on either side), or use --xdp-mode skb",
        Errnos.ERANGE when call == AttachCall =>
            "On a veth, native XDP needs every packet to fit a page, and the peer's MTU is too large: lower the peer's MTU, or use --xdp-mode skb",
        Errnos.EPERM or Errnos.EACCES =>
            "Run as root, or grant CAP_NET_ADMIN, CAP_NET_RAW, CAP_BPF, CAP_PERFMON and CAP_IPC_LOCK (e.g. setcap or systemd AmbientCapabilities)",
        Errnos.EBUSY =>
            "Another XDP program or AF_XDP socket holds this interface or queue: stop it (ip link set dev IF xdp off) or pick other queues",
        Errnos.EOPNOTSUPP =>
            "The driver does not support this mode: use --zero-copy off (copy mode) or --xdp-mode skb (generic XDP)",
        Errnos.ENOBUFS or Errnos.ENOMEM =>
            "Locked memory ran out: raise the memlock limit (ulimit -l unlimited, LimitMEMLOCK=infinity) or grant CAP_IPC_LOCK, or use fewer --frames",
        Errnos.ENOENT or Errnos.ENODEV or Errnos.ENXIO =>
            "No such interface or queue: check the interface name (ip link) and its queue count (ethtool -l IF)",
        Errnos.EINVAL =>
            "The kernel refused the arguments: check ring and frame sizes (powers of two) and the queue ids",
        _ => null,
    };
}
