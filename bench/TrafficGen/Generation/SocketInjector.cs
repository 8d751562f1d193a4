using System.Diagnostics;
using AfXdp;
using AfXdp.Rings;

namespace TrafficGen.Generation;

/// <summary>
/// One generating thread's work through an AF_XDP socket's TX ring: it binds a
/// socket to one queue of the interface (copy mode on a veth, so the kernel builds an skb per frame and the
/// peer receives it on the same-numbered queue), filled every UMEM frame with the template, and then keeps
/// the TX ring full, rewriting each frame as the next flow (<see cref="FlowWriter"/>) before it goes out and
/// taking frames back from the COMPLETION ring. Frames offered = frames the kernel completed.
/// </summary>
internal sealed unsafe class SocketInjector : IInjector
{
    private const uint Batch = 64;
    private const uint FrameCount = 4096;

    private readonly NetworkInterface _nic;
    private readonly uint _queue;
    private readonly byte[] _template;
    private readonly FlowWriter _flows;
    private readonly long _rate;
    private readonly long _budget;
    private long _completed;

    public SocketInjector(NetworkInterface nic, uint queue, byte[] template, FlowWriter flows, long rate, long budget)
    {
        _nic = nic;
        _queue = queue;
        _template = template;
        _flows = flows;
        _rate = rate;
        _budget = budget;
    }

    /// <summary>Frames the kernel has taken off the TX ring so far.</summary>
    public long Completed => Volatile.Read(ref _completed);

    public void Run(long startTimestamp, TimeSpan duration, CancellationToken stop)
    {
        var umemOptions = new UmemOptions { FrameCount = FrameCount, FrameSize = 4096, FillRingSize = 2048, CompletionRingSize = 4096 };
        var socketOptions = new XskSocketOptions { RxRingSize = 2048, TxRingSize = 2048, ZeroCopy = ZeroCopyMode.Auto };
        XskHandOver created = XskHandOver.Create(_nic.Name, _queue, umemOptions, socketOptions, $"trafficgen-q{_queue}");
        using Umem umem = Umem.Adopt(umemOptions, created);
        using XskSocket socket = XskSocket.Adopt(_nic.Name, _queue, umem, socketOptions);
        Send(umem, socket, startTimestamp, duration, stop);
    }

    private void Send(Umem umem, XskSocket socket, long startTimestamp, TimeSpan duration, CancellationToken stop)
    {
        uint frameSize = umem.Options.FrameSize;
        var free = new ulong[FrameCount];
        for (uint i = 0; i < FrameCount; i++)
        {
            free[i] = i * frameSize;
            _template.CopyTo(new Span<byte>(umem.Area + free[i], _template.Length));
        }
        int top = (int)FrameCount;
        long deadline = duration == Timeout.InfiniteTimeSpan ? long.MaxValue : startTimestamp + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long issued = 0;
        var tx = socket.Tx;
        var completion = umem.Completion;

        while (issued < _budget && !stop.IsCancellationRequested && Stopwatch.GetTimestamp() < deadline)
        {
            top += Reclaim(completion, free, top);
            uint want = (uint)Math.Min(Math.Min(Batch, top), _budget - issued);
            if (_rate > 0)
                want = (uint)Math.Min(want, Math.Max(0, Due(startTimestamp) - issued));
            if (want > 0 && tx.Reserve(want, out uint index) == want)
            {
                for (uint i = 0; i < want; i++)
                {
                    ulong address = free[--top];
                    _flows.WriteNext(new Span<byte>(umem.Area + address, _template.Length));
                    ref XdpDesc descriptor = ref tx[index + i];
                    descriptor.Address = address;
                    descriptor.Length = (uint)_template.Length;
                    descriptor.Options = 0;
                }
                tx.Submit(want);
                issued += want;
            }
            Wake(socket);
        }

        // Let the kernel finish what was handed over, so the count is exact (bounded: half a second).
        long drainUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 2;
        while (Completed < issued && Stopwatch.GetTimestamp() < drainUntil)
        {
            Wake(socket);
            top += Reclaim(completion, free, top);
        }
    }

    /// <summary>Frames due by now at the configured rate.</summary>
    private long Due(long startTimestamp) => (long)((Stopwatch.GetTimestamp() - startTimestamp) * (double)_rate / Stopwatch.Frequency) + 1;

    private int Reclaim(AfXdp.Rings.ConsumerRing<ulong> completion, ulong[] free, int top)
    {
        uint done = completion.Peek(FrameCount, out uint index);
        for (uint i = 0; i < done; i++)
            free[top + i] = completion[index + i];
        if (done > 0)
        {
            completion.Release(done);
            Interlocked.Add(ref _completed, done);
        }
        return (int)done;
    }

    /// <summary>Copy mode sends only when asked; EAGAIN, EBUSY and ENOBUFS mean "busy, ask again".</summary>
    private void Wake(XskSocket socket)
    {
        int errno = socket.WakeTx();
        if (errno is 0 or Errnos.EAGAIN or Errnos.EBUSY or Errnos.ENOBUFS or Errnos.EINTR)
            return;
        throw new XdpException("sendto", errno, $"AF_XDP TX on {_nic.Name} queue {_queue}");
    }
}
