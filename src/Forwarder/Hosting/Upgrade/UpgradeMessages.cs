using System.Globalization;
using System.Runtime.CompilerServices;

namespace Forwarder.Hosting.Upgrade;

/// <summary>
/// The lines of an upgrade's hand-over. Successor → predecessor: <c>ready</c> once everything is loaded and checked,
/// <c>running</c> once it has the queues' state (the point of no return), or <c>refused REASON</c>. Predecessor →
/// successor, once its workers stopped: <c>stopped TIMESTAMP</c> (when it told its workers to stop, on the monotonic
/// clock both processes share), per queue <c>free INDEX FRAME_SIZE BITMAP</c> (its free frames: bit N of the base64
/// bitmap is the frame at N × FRAME_SIZE, <c>-</c> for none; a few kilobytes whatever the order, formatted and read in microseconds)
/// and <c>counters INDEX VALUE...</c>, <c>times TIMESTAMP...</c> (its <see cref="HandOverTimeline"/> steps), then
/// <c>end</c>. A predecessor's older <c>queue INDEX ADDRESS...</c> line is read as well. After <c>running</c> the
/// predecessor sends its carried totals (<see cref="CarriedTotals"/>).
/// </summary>
public static class UpgradeMessages
{
    public const string Ready = "ready";
    public const string Running = "running";
    public const string Refused = "refused";
    public const string End = "end";

    /// <summary>The predecessor's timeline steps a <c>times</c> line carries, in its order.</summary>
    private static readonly HandOverStep[] PredecessorSteps = [HandOverStep.WorkersStopped, HandOverStep.StateRead, HandOverStep.Serialized];

    /// <summary>The state lines; marks <see cref="HandOverStep.Serialized"/> once the queues' lines are formatted.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // optimised at its first call (the warm-up): no tier-up or OSR in the pause
    public static List<string> State(IReadOnlyList<QueueHandOver> queues, uint frameSize, HandOverTimeline timeline)
    {
        var lines = new List<string>(queues.Count * 2 + 3) { $"stopped {timeline[HandOverStep.StopRequested].ToString(CultureInfo.InvariantCulture)}" };
        for (int i = 0; i < queues.Count; i++)
        {
            byte[] bitmap = FrameBitmap(queues[i].FreeFrames, frameSize);
            lines.Add($"free {i} {frameSize} {(bitmap.Length == 0 ? "-" : Convert.ToBase64String(bitmap))}");
            lines.Add($"counters {i} " + string.Join(' ', queues[i].Counters));
        }
        timeline.Mark(HandOverStep.Serialized);
        lines.Add("times " + string.Join(' ', PredecessorSteps.Select(s => timeline[s].ToString(CultureInfo.InvariantCulture))));
        lines.Add(End);
        return lines;
    }

    /// <summary>Reads the state lines up to <c>end</c>; throws <see cref="FormatException"/> naming what is wrong, or when the lines stop (null).</summary>
    /// <param name="timeline">Given the predecessor's steps it names.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static HandOverState ReadState(Func<string?> next, int queueCount, uint frameCount, HandOverTimeline? timeline = null)
    {
        long stoppedAt = 0;
        var frames = new ulong[queueCount][];
        var counters = new long[queueCount][];
        while (true)
        {
            string line = next() ?? throw new FormatException("the predecessor's state ended before 'end' (it exited or timed out)");
            if (line == End)
                break;
            if (line.StartsWith("stopped ", StringComparison.Ordinal) && long.TryParse(line.AsSpan(8), NumberStyles.None, CultureInfo.InvariantCulture, out long at))
            {
                stoppedAt = at;
                continue;
            }
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length > 0 && words[0] == "times")
            {
                ReadTimes(words, timeline);
                continue;
            }
            if (words.Length < 2 || !int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index >= queueCount)
                throw new FormatException($"hand-over line '{Shorten(line)}' names no queue of the {queueCount} served");
            switch (words[0])
            {
                case "free" when frames[index] is null:
                    frames[index] = FramesOf(words, index, frameCount);
                    break;
                case "queue" when frames[index] is null:
                    if (words.Length - 2 > frameCount)
                        throw new FormatException($"queue {index}: {words.Length - 2} free frames handed over for a UMEM of {frameCount}");
                    frames[index] = words.Skip(2).Select(w => ulong.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out ulong a)
                        ? a : throw new FormatException($"queue {index}: '{Shorten(w)}' is not a frame address")).ToArray();
                    break;
                case "counters" when counters[index] is null:
                    counters[index] = words.Skip(2).Select(w => long.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out long v)
                        ? v : throw new FormatException($"queue {index}: '{Shorten(w)}' is not a counter value")).ToArray();
                    break;
                default:
                    throw new FormatException($"hand-over line '{Shorten(line)}' is not a queue's frames or counters, or repeats one");
            }
        }
        for (int i = 0; i < queueCount; i++)
        {
            if (frames[i] is null)
                throw new FormatException($"the predecessor handed over no free frames for queue {i}");
        }
        return new HandOverState(Enumerable.Range(0, queueCount).Select(i => new QueueHandOver(frames[i], counters[i] ?? [])).ToArray(), stoppedAt);
    }

    /// <summary>Bit N set: the frame at N × <paramref name="frameSize"/> is free.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static byte[] FrameBitmap(IReadOnlyList<ulong> freeFrames, uint frameSize)
    {
        ulong highest = 0;
        foreach (ulong address in freeFrames)
            highest = Math.Max(highest, address / frameSize);
        var bitmap = new byte[freeFrames.Count == 0 ? 0 : (int)(highest / 8) + 1];
        foreach (ulong address in freeFrames)
        {
            ulong frame = address / frameSize;
            bitmap[frame / 8] |= (byte)(1 << (int)(frame % 8));
        }
        return bitmap;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong[] FramesOf(string[] words, int index, uint frameCount)
    {
        if (words.Length != 4 || !uint.TryParse(words[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint frameSize) || frameSize is 0 or > 1 << 20)
            throw new FormatException($"queue {index}: a free-frames line is 'free INDEX FRAME_SIZE BITMAP'");
        if (words[3] == "-")
            return [];
        byte[] bitmap;
        try
        {
            bitmap = Convert.FromBase64String(words[3]);
        }
        catch (FormatException)
        {
            throw new FormatException($"queue {index}: '{Shorten(words[3])}' is not a base64 frame bitmap");
        }
        var frames = new List<ulong>();
        for (int b = 0; b < bitmap.Length; b++)
        {
            for (int bit = 0; bit < 8 && bitmap[b] >> bit != 0; bit++)
            {
                if ((bitmap[b] & (1 << bit)) == 0)
                    continue;
                ulong frame = (ulong)b * 8 + (ulong)bit;
                if (frame >= frameCount)
                    throw new FormatException($"queue {index}: free frame {frame} handed over for a UMEM of {frameCount}");
                frames.Add(frame * frameSize);
            }
        }
        return frames.ToArray();
    }

    private static void ReadTimes(string[] words, HandOverTimeline? timeline)
    {
        for (int i = 0; i < PredecessorSteps.Length && i + 1 < words.Length; i++)
        {
            if (long.TryParse(words[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out long at))
                timeline?.Set(PredecessorSteps[i], at);
        }
    }

    /// <summary>Compiles the hand-over's code, and formats and reads a small state once, so that the pause does not wait for the JIT.</summary>
    public static void WarmUp()
    {
        HotPathWarmUp.Prepare(typeof(UpgradeMessages));
        HotPathWarmUp.Prepare(typeof(HandOverTimeline));
        var timeline = new HandOverTimeline();
        timeline.Mark(HandOverStep.StopRequested);
        var lines = new Queue<string>(State([new QueueHandOver([0, 4096, 8192], [1, 2, 3])], 4096, timeline));
        _ = ReadState(() => lines.TryDequeue(out string? line) ? line : null, 1, 4, new HandOverTimeline());
        _ = timeline.Describe();
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";
}

/// <summary>What the stopped predecessor handed over: each queue's state, and when it stopped its workers (<see cref="System.Diagnostics.Stopwatch"/> ticks; 0 when not said).</summary>
public sealed record HandOverState(IReadOnlyList<QueueHandOver> Queues, long StoppedAt);
