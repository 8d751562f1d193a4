using System.Numerics;
using Forwarder.DataPlane;
using Forwarder.Packets;
using Forwarder.Replay;

namespace Forwarder.Capture;

/// <summary>
/// One running capture: the workers' taps (one ring per worker) and the writer that drains them into a pcapng
/// stream until the count is reached, the duration is over or the reader goes away. The workers are handed the
/// taps on <see cref="Start"/> and take them back when the session ends, whatever ends it: a reader that
/// disconnects or a stream that fails to write stops the capture and nothing else.
/// </summary>
public sealed class CaptureSession
{
    /// <summary>How long the writer waits between rounds when the rings are empty.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    /// <summary>How long a worker may still be writing the batch it had in hand when the capture stopped.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(50);

    /// <summary>Each ring holds about this many bytes of frames.</summary>
    private const int RingBytes = 8 << 20;

    private readonly CaptureSwitch _switch;
    private readonly CaptureTap[] _taps;
    private readonly CaptureRequest _request;
    private readonly PcapngWriter _writer = new();
    private long _frames;

    private CaptureSession(CaptureSwitch capture, CaptureTap[] taps, CaptureRequest request)
    {
        _switch = capture;
        _taps = taps;
        _request = request;
    }

    /// <summary>Received frames written so far (each as rx and tx, or as drop).</summary>
    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>Frames that matched but were lost because a ring was full.</summary>
    public long Lost => _taps.Sum(t => t.Ring.Overflow);

    /// <summary>Hands the workers the taps of a new capture; null when one is running already.</summary>
    public static CaptureSession? Start(CaptureSwitch capture, int workers, CaptureRequest request)
    {
        int slots = SlotsFor(request.Filter.SnapLength);
        var taps = new CaptureTap[workers];
        for (int i = 0; i < workers; i++)
            taps[i] = new CaptureTap(request.Filter, slots);
        return capture.TryStart(taps) ? new CaptureSession(capture, taps, request) : null;
    }

    /// <summary>Slots per ring: a power of two from 64 to 16384 within <see cref="RingBytes"/>.</summary>
    public static int SlotsFor(int snapLength) => Math.Clamp(1 << BitOperations.Log2((uint)(RingBytes / (2 * snapLength))), 64, 16384);

    /// <summary>
    /// Writes the capture to <paramref name="output"/> until it is complete or <paramref name="cancel"/> fires (the
    /// reader went away), then stops it. Write failures propagate, after the capture has been stopped.
    /// </summary>
    public async Task RunAsync(Stream output, CancellationToken cancel)
    {
        long started = DateTime.UtcNow.Ticks;
        DateTime? deadline = _request.Duration is { } duration ? DateTime.UtcNow + duration : null;
        long limit = _request.Count ?? long.MaxValue;
        try
        {
            _writer.WriteHeader(_request.Filter.SnapLength);
            await Send(output);
            while (!cancel.IsCancellationRequested && _frames < limit && (deadline is null || DateTime.UtcNow < deadline))
            {
                if (Drain(limit) > 0)
                    await Send(output);
                else
                    await Task.Delay(Poll, cancel).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        finally
        {
            _switch.Stop(_taps);
        }
        if (cancel.IsCancellationRequested)
            return;
        await Task.Delay(Settle, CancellationToken.None);
        Drain(limit);
        _writer.WriteStatistics(started, DateTime.UtcNow.Ticks, (ulong)_frames, (ulong)Lost);
        await Send(output);
    }

    /// <summary>Moves what the rings hold, up to <paramref name="limit"/> frames in all, into the writer; returns the frames moved.</summary>
    public int Drain(long limit)
    {
        int moved = 0;
        foreach (CaptureTap tap in _taps)
        {
            while (_frames < limit && tap.Ring.TryTake(static (CaptureSession session, in CaptureRecord frame, ReadOnlySpan<byte> received, ReadOnlySpan<byte> transmitted) =>
                       session.Write(frame, received, transmitted), this))
                moved++;
        }
        return moved;
    }

    private void Write(in CaptureRecord frame, ReadOnlySpan<byte> received, ReadOnlySpan<byte> transmitted)
    {
        if (frame.Verdict == DropReason.None)
        {
            _writer.WriteFrame(PcapngWriter.Received, frame.Ticks, frame.ReceivedLength, received);
            _writer.WriteFrame(PcapngWriter.Transmitted, frame.Ticks, frame.TransmittedLength, transmitted);
        }
        else
        {
            _writer.WriteFrame(PcapngWriter.Dropped, frame.Ticks, frame.ReceivedLength, received, "drop: " + DropReasons.Name(frame.Verdict));
        }
        Interlocked.Increment(ref _frames);
    }

    /// <summary>
    /// Writes what the writer holds. Not cancelled by the capture's token: Kestrel aborts the connection when a
    /// response write is cancelled, so a stop that met a write cut the stream off instead of ending it. A reader that
    /// went away fails the write anyway, and one that stops reading is ended by the server's minimum data rate.
    /// </summary>
    private async Task Send(Stream output)
    {
        await output.WriteAsync(_writer.Pending, CancellationToken.None);
        await output.FlushAsync(CancellationToken.None);
        _writer.Clear();
    }
}
