using System.Runtime.InteropServices;
using AfXdp.Interop;
using AfXdp.Rings;

namespace AfXdp;

/// <summary>
/// An AF_XDP socket bound to one queue of one interface, with its RX and TX rings, over a <see cref="Umem"/>:
/// the socket the UMEM is registered on (one socket per UMEM). libxdp created and bound it
/// (<see cref="XskHandOver.Create"/>); this adopts it by mapping its rings, so it works the same in a process
/// that could not have created it. No XDP program is loaded for it: the caller attaches its own and puts
/// <see cref="Fd"/> into that program's XSKMAP. Holds a reference on its UMEM, which therefore outlives it.
/// The wakeup methods are the only syscalls the data path makes.
/// </summary>
public sealed unsafe class XskSocket : SafeHandle
{
    private readonly XskRingNative* _rings; // [0] = rx, [1] = tx
    private readonly Umem _umem;
    private bool _umemReferenced;
    private XskRingMapping _rxMapping;
    private XskRingMapping _txMapping;

    private XskSocket(Umem umem) : base(0, ownsHandle: true)
    {
        _umem = umem;
        _rings = (XskRingNative*)NativeMemory.AllocZeroed((nuint)(2 * sizeof(XskRingNative)));
        SetHandle((nint)_rings);
    }

    /// <summary>
    /// Takes over the socket <paramref name="umem"/> was adopted from, bound to <paramref name="queueId"/> of
    /// <paramref name="interfaceName"/>: maps its RX and TX rings (sized as <paramref name="options"/> says, as
    /// they were created) and applies the options that are set after binding (busy polling, TX budget).
    /// </summary>
    public static XskSocket Adopt(string interfaceName, uint queueId, Umem umem, XskSocketOptions options)
    {
        if (!umem.TryClaimSocket())
            throw new InvalidOperationException("this UMEM already has its socket: each queue needs a UMEM of its own");
        var socket = new XskSocket(umem);
        try
        {
            umem.DangerousAddRef(ref socket._umemReferenced);
            socket.Fd = umem.Fd;
            socket.InterfaceName = interfaceName;
            socket.QueueId = queueId;
            socket.MapRings(options);
            socket.IsZeroCopy = socket.QueryZeroCopy();
            socket.ApplyOptions(options);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public string InterfaceName { get; private set; } = "";

    public uint QueueId { get; private set; }

    public int Fd { get; private set; } = -1;

    /// <summary>True when the kernel reports the socket is in zero-copy mode.</summary>
    public bool IsZeroCopy { get; private set; }

    public Umem Umem => _umem;

    public ConsumerRing<XdpDesc> Rx => new(&_rings[0]);

    public ProducerRing<XdpDesc> Tx => new(&_rings[1]);

    public override bool IsInvalid => handle == 0;

    /// <summary>Asks the kernel to send what is on the TX ring. Returns 0 or a positive errno (EAGAIN: more to send).</summary>
    public int WakeTx()
    {
        nint result = LibC.SendTo(Fd, null, 0, LibC.MSG_DONTWAIT, null, 0);
        return result >= 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>Asks the kernel to look at the FILL ring and receive (need_wakeup / busy-poll mode).</summary>
    public int WakeRx()
    {
        nint result = LibC.RecvFrom(Fd, null, 0, LibC.MSG_DONTWAIT, null, null);
        return result >= 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>Sleeps until the RX ring has entries or the timeout passes. Returns true when woken by data.</summary>
    public bool WaitForRx(int timeoutMs)
    {
        LibC.PollFd pfd = new() { Fd = Fd, Events = LibC.POLLIN };
        return LibC.Poll(&pfd, 1, timeoutMs) > 0;
    }

    /// <summary>The kernel's drop and error counters for this socket.</summary>
    public XdpStatistics GetStatistics()
    {
        XdpStatistics stats = default;
        uint length = (uint)sizeof(XdpStatistics);
        if (LibC.GetSockOpt(Fd, LibC.SOL_XDP, LibC.XDP_STATISTICS, &stats, ref length) != 0)
            throw XdpException.FromLastError("getsockopt(XDP_STATISTICS)");
        return stats;
    }

    /// <summary>
    /// The kernel's drop and error counters for this socket, without throwing: 0 and the counters, or a positive
    /// errno (EBADF once the socket is disposed). For a reader thread beside the worker: getsockopt only reads the
    /// kernel's counters and the socket is kept alive (and its descriptor open) for the length of the call.
    /// </summary>
    public int TryGetStatistics(out XdpStatistics statistics)
    {
        statistics = default;
        bool referenced = false;
        try
        {
            DangerousAddRef(ref referenced);
        }
        catch (ObjectDisposedException)
        {
            return BadDescriptor;
        }
        try
        {
            XdpStatistics read = default;
            uint length = (uint)sizeof(XdpStatistics);
            if (LibC.GetSockOpt(Fd, LibC.SOL_XDP, LibC.XDP_STATISTICS, &read, ref length) != 0)
                return Marshal.GetLastPInvokeError();
            statistics = read;
            return 0;
        }
        finally
        {
            if (referenced)
                DangerousRelease();
        }
    }

    private const int BadDescriptor = 9; // EBADF

    /// <summary>Unmaps the rings; the descriptor is the UMEM's and closes with it, after this socket's reference is gone.</summary>
    protected override bool ReleaseHandle()
    {
        _rxMapping.Unmap();
        _txMapping.Unmap();
        NativeMemory.Free(_rings);
        if (_umemReferenced)
            _umem.DangerousRelease();
        return true;
    }

    private void MapRings(XskSocketOptions options)
    {
        XdpMmapOffsets offsets = XskRingMapping.Offsets(Fd);
        _rxMapping = XskRingMapping.Map(Fd, LibC.XDP_PGOFF_RX_RING, offsets.Rx, options.RxRingSize, (uint)sizeof(XdpDesc), producer: false, &_rings[0], "RX");
        _txMapping = XskRingMapping.Map(Fd, LibC.XDP_PGOFF_TX_RING, offsets.Tx, options.TxRingSize, (uint)sizeof(XdpDesc), producer: true, &_rings[1], "TX");
    }

    private bool QueryZeroCopy()
    {
        uint value = 0, length = sizeof(uint);
        return LibC.GetSockOpt(Fd, LibC.SOL_XDP, LibC.XDP_OPTIONS, &value, ref length) == 0 && (value & 1) != 0;
    }

    private void ApplyOptions(XskSocketOptions options)
    {
        if (options.BusyPoll is { } busy)
        {
            SetOption(LibC.SOL_SOCKET, LibC.SO_PREFER_BUSY_POLL, 1, "SO_PREFER_BUSY_POLL");
            SetOption(LibC.SOL_SOCKET, LibC.SO_BUSY_POLL, busy.TimeoutMicroseconds, "SO_BUSY_POLL");
            SetOption(LibC.SOL_SOCKET, LibC.SO_BUSY_POLL_BUDGET, busy.Budget, "SO_BUSY_POLL_BUDGET");
        }
        if (options.TxBudget is { } budget)
            SetOption(LibC.SOL_XDP, LibC.XDP_MAX_TX_SKB_BUDGET, (int)budget, "XDP_MAX_TX_SKB_BUDGET");
    }

    private void SetOption(int level, int name, int value, string label)
    {
        if (LibC.SetSockOpt(Fd, level, name, &value, sizeof(int)) != 0)
            throw XdpException.FromLastError($"setsockopt({label})", $"{InterfaceName} queue {QueueId}");
    }
}
