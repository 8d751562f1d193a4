using System.Diagnostics;
using System.Runtime.InteropServices;
using AfXdp.Interop;
using AfXdp.Rings;

namespace AfXdp;

/// <summary>
/// One queue's AF_XDP socket, bound, with its UMEM registered, created by libxdp and held as two
/// close-on-exec descriptors: the socket and a memfd with the UMEM's frames. <see cref="Umem.Adopt"/> and
/// <see cref="XskSocket.Adopt"/> take them over by mapping the frames and the four rings, with no libxdp.
/// Creating needs CAP_NET_RAW (the socket) and CAP_IPC_LOCK or a memlock limit that fits the frames (the
/// kernel pins them); adopting needs neither. libxdp 1.3 cannot build on a socket it did not open itself (it
/// has no <c>xsk_umem__create_with_fd</c>), so a privileged process creates and a successor exec'd without
/// those capabilities adopts; a process that keeps them creates and adopts alike.
/// </summary>
public sealed record XskHandOver(int SocketFd, int MemoryFd, bool HugePages)
{
    /// <summary>
    /// Creates the UMEM over a new memfd (<c>xsk_umem__create</c>) and the socket on it bound to
    /// <paramref name="queueId"/> (<c>xsk_socket__create</c>, without libxdp's XDP program): zero-copy first
    /// when <paramref name="socket"/> allows, then copy mode; EBUSY retried for <see cref="XskSocketOptions.BusyRetry"/>.
    /// </summary>
    public static unsafe XskHandOver Create(string interfaceName, uint queueId, UmemOptions umem, XskSocketOptions socket, string memoryName)
    {
        Umem.Validate(umem);
        nuint bytes = Umem.AreaBytesOf(umem);
        byte* area = MapFrames(memoryName, bytes, umem.HugePages, out int memoryFd, out bool huge);
        var rings = (XskRingNative*)NativeMemory.AllocZeroed((nuint)(4 * sizeof(XskRingNative))); // fill, completion, rx, tx: libxdp's, until deleted below
        nint libxdpUmem = 0, libxdpSocket = 0;
        try
        {
            var config = new XskUmemConfig
            {
                FillSize = umem.FillRingSize,
                CompletionSize = umem.CompletionRingSize,
                FrameSize = umem.FrameSize,
                FrameHeadroom = umem.FrameHeadroom,
            };
            int result = LibXdp.XskUmemCreate(out libxdpUmem, area, bytes, &rings[0], &rings[1], config);
            if (result < 0)
                throw new XdpException("xsk_umem__create", -result, $"{umem.FrameCount} frames of {umem.FrameSize} bytes");
            libxdpSocket = Bind(interfaceName, queueId, libxdpUmem, &rings[2], &rings[3], socket);

            // The first socket on a UMEM is the UMEM's own socket: one descriptor holds both.
            int fd = LibXdp.XskSocketFd(libxdpSocket);
            if (fd != LibXdp.XskUmemFd(libxdpUmem))
                throw new InvalidOperationException($"libxdp gave the socket of {interfaceName} queue {queueId} a descriptor ({fd}) other than its UMEM's ({LibXdp.XskUmemFd(libxdpUmem)})");
            // A copy of our own, since deleting libxdp's socket and UMEM (below) closes theirs. Deleting them drops
            // libxdp's ring mappings, which would otherwise keep the socket, and the queue, after the adopter closes it.
            int kept = LibC.Fcntl(fd, LibC.F_DUPFD_CLOEXEC, 3);
            if (kept < 0)
                throw XdpException.FromLastError("fcntl(F_DUPFD_CLOEXEC)", $"AF_XDP socket of {interfaceName} queue {queueId}");
            return new XskHandOver(kept, memoryFd, huge);
        }
        catch
        {
            LibC.Close(memoryFd);
            throw;
        }
        finally
        {
            if (libxdpSocket != 0)
                LibXdp.XskSocketDelete(libxdpSocket);
            if (libxdpUmem != 0)
                LibXdp.XskUmemDelete(libxdpUmem);
            NativeMemory.Free(rings);
            LibC.Munmap(area, bytes); // the kernel holds the pinned pages, the memfd the memory; the adopter maps it again
        }
    }

    /// <summary>Binds with zero-copy when the options allow and the driver can, else in copy mode; returns libxdp's socket.</summary>
    private static unsafe nint Bind(string interfaceName, uint queueId, nint umem, XskRingNative* rx, XskRingNative* tx, XskSocketOptions options)
    {
        if (options.ZeroCopy != ZeroCopyMode.Off)
        {
            int zc = TryBind(interfaceName, queueId, umem, rx, tx, options, XdpBindFlags.ZeroCopy, out nint zeroCopy);
            if (zc == 0)
                return zeroCopy;
            if (options.ZeroCopy == ZeroCopyMode.On || zc is not (Errnos.EOPNOTSUPP or Errnos.EINVAL))
                throw new XdpException("xsk_socket__create", zc, $"{interfaceName} queue {queueId}, zero-copy");
        }
        int copy = TryBind(interfaceName, queueId, umem, rx, tx, options, XdpBindFlags.Copy, out nint copied);
        return copy == 0 ? copied : throw new XdpException("xsk_socket__create", copy, $"{interfaceName} queue {queueId}, copy mode");
    }

    /// <summary>One bind attempt; EBUSY is retried for a short while (the queue's previous socket may still be closing).</summary>
    private static unsafe int TryBind(string interfaceName, uint queueId, nint umem, XskRingNative* rx, XskRingNative* tx, XskSocketOptions options, XdpBindFlags mode, out nint socket)
    {
        var config = new XskSocketConfig
        {
            RxSize = options.RxRingSize,
            TxSize = options.TxRingSize,
            LibxdpFlags = LibXdp.InhibitProgramLoad,
            BindFlags = (ushort)(mode | (options.NeedWakeup ? XdpBindFlags.UseNeedWakeup : XdpBindFlags.None)),
        };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            int result = LibXdp.XskSocketCreate(out socket, interfaceName, queueId, umem, rx, tx, config);
            if (result == 0)
                return 0;
            if (-result != Errnos.EBUSY || clock.Elapsed >= options.BusyRetry)
                return -result;
            Thread.Sleep(50);
        }
    }

    /// <summary>A memfd of <paramref name="bytes"/> mapped shared, of huge pages when asked and available; throws when it cannot be had.</summary>
    private static unsafe byte* MapFrames(string name, nuint bytes, bool hugePages, out int memoryFd, out bool huge)
    {
        huge = false;
        if (hugePages)
        {
            byte* h = TryShared(name, bytes, LibC.MFD_HUGETLB, out memoryFd);
            if (h != null)
            {
                huge = true;
                return h;
            }
        }
        byte* p = TryShared(name, bytes, 0, out memoryFd);
        return p != null ? p : throw XdpException.FromLastError("memfd_create/mmap", $"UMEM of {bytes} bytes");
    }

    /// <summary>A memfd of <paramref name="bytes"/> mapped shared, or null (and <paramref name="fd"/> -1) when it cannot be had.</summary>
    private static unsafe byte* TryShared(string name, nuint bytes, uint flags, out int fd)
    {
        fd = LibC.MemfdCreate(name, LibC.MFD_CLOEXEC | flags);
        if (fd < 0)
            return null;
        void* p = LibC.Ftruncate(fd, (long)bytes) == 0
            ? LibC.Mmap(null, bytes, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED | LibC.MAP_POPULATE, fd, 0)
            : (void*)-1;
        if (p != (void*)-1)
            return (byte*)p;
        int errno = Marshal.GetLastPInvokeError();
        LibC.Close(fd);
        Marshal.SetLastPInvokeError(errno);
        fd = -1;
        return null;
    }
}
