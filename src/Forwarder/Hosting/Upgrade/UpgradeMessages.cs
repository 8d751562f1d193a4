using System.Globalization;

namespace Forwarder.Hosting.Upgrade;

/// <summary>
/// The lines of an upgrade's hand-over. Successor → predecessor: <c>ready</c> once everything is loaded and checked,
/// <c>running</c> once it has the queues' state (the point of no return), or <c>refused REASON</c>. Predecessor →
/// successor, once its workers stopped: <c>queue INDEX ADDRESS...</c> (the free frames) and <c>counters INDEX VALUE...</c>
/// per queue, <c>stopped TIMESTAMP</c> (when it told its workers to stop, on the monotonic clock both processes share),
/// then <c>end</c>.
/// </summary>
public static class UpgradeMessages
{
    public const string Ready = "ready";
    public const string Running = "running";
    public const string Refused = "refused";
    public const string End = "end";

    public static IEnumerable<string> State(IReadOnlyList<QueueHandOver> queues, long stoppedAt)
    {
        yield return $"stopped {stoppedAt.ToString(CultureInfo.InvariantCulture)}";
        for (int i = 0; i < queues.Count; i++)
        {
            yield return $"queue {i} " + string.Join(' ', queues[i].FreeFrames.Select(a => a.ToString(CultureInfo.InvariantCulture)));
            yield return $"counters {i} " + string.Join(' ', queues[i].Counters.Select(v => v.ToString(CultureInfo.InvariantCulture)));
        }
        yield return End;
    }

    /// <summary>Reads the state lines up to <c>end</c>; throws <see cref="FormatException"/> naming what is wrong, or when the lines stop (null).</summary>
    public static HandOverState ReadState(Func<string?> next, int queueCount, uint frameCount)
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
            if (words.Length < 2 || !int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index >= queueCount)
                throw new FormatException($"hand-over line '{Shorten(line)}' names no queue of the {queueCount} served");
            switch (words[0])
            {
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

    /// <summary>Formats and reads a small state once, so that the hand-over itself does not wait for the JIT.</summary>
    public static void WarmUp()
    {
        var lines = new Queue<string>(State([new QueueHandOver([0, 4096, 8192], [1, 2, 3])], 1));
        _ = ReadState(() => lines.TryDequeue(out string? line) ? line : null, 1, 4);
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";
}

/// <summary>What the stopped predecessor handed over: each queue's state, and when it stopped its workers (<see cref="System.Diagnostics.Stopwatch"/> ticks; 0 when not said).</summary>
public sealed record HandOverState(IReadOnlyList<QueueHandOver> Queues, long StoppedAt);
