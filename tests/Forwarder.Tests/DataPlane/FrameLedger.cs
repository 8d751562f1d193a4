namespace Forwarder.Tests.DataPlane;

/// <summary>
/// The place of every frame of a simulated UMEM. Each frame has exactly one place by construction;
/// <see cref="Move"/> refuses a move from anywhere but the frame's current place, which catches a frame
/// handed on twice or handed on by someone who does not hold it. Allocation-free after construction.
/// </summary>
public sealed class FrameLedger
{
    private readonly FramePlace[] _places;
    private readonly int[] _counts = new int[Enum.GetValues<FramePlace>().Length];
    private readonly int[] _lastSeenInScan;
    private int _scan;

    public FrameLedger(int frameCount)
    {
        _places = new FramePlace[frameCount];
        _lastSeenInScan = new int[frameCount];
        _counts[(int)FramePlace.Worker] = frameCount;
    }

    public int FrameCount => _places.Length;

    public int Count(FramePlace place) => _counts[(int)place];

    public FramePlace PlaceOf(uint frame) => _places[frame];

    public void Move(uint frame, FramePlace from, FramePlace to)
    {
        if (_places[frame] != from)
            throw new FrameAccountingException($"frame {frame} moved {from} -> {to} but it is in {_places[frame]}");
        _places[frame] = to;
        _counts[(int)from]--;
        _counts[(int)to]++;
    }

    /// <summary>Starts a scan in which <see cref="SeenTwiceInScan"/> detects a frame met twice.</summary>
    public void BeginScan() => _scan++;

    public bool SeenTwiceInScan(uint frame)
    {
        bool seen = _lastSeenInScan[frame] == _scan;
        _lastSeenInScan[frame] = _scan;
        return seen;
    }
}
