using Forwarder.Packets;

namespace Forwarder.DataPlane;

/// <summary>
/// Wraps a worker's processor to copy frames into a running capture (<c>forwarder capture</c>): per batch one read
/// of <see cref="CaptureSwitch.Taps"/>; null (no capture, the usual case) runs the inner processor alone. With a
/// capture, the worker's <see cref="CaptureTap"/> copies the frames as received before processing and moves the
/// matching ones, as transmitted or with their drop reason, into its ring after.
/// </summary>
public struct CapturingProcessor<TProcessor>(TProcessor inner, CaptureSwitch capture, int workerIndex) : IBatchProcessor
    where TProcessor : struct, IBatchProcessor
{
    private TProcessor _inner = inner;

    public void Process(PacketBatch batch)
    {
        CaptureTap[]? taps = capture.Taps;
        if (taps is null)
        {
            _inner.Process(batch);
            return;
        }
        CaptureTap tap = taps[workerIndex];
        tap.BeforeProcess(batch);
        _inner.Process(batch);
        tap.AfterProcess(batch);
    }
}
