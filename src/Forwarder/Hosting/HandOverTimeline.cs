using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Forwarder.Hosting;

/// <summary>The moments of an upgrade's pause, in order: the predecessor's first, then the successor's.</summary>
public enum HandOverStep
{
    StopRequested,
    WorkersStopped,
    StateRead,
    Serialized,
    Received,
    Parsed,
    RunningSent,
    QueuesTaken,
    GateOpened,
    WorkerWoken,
    FirstBatch,
    TookOver,
}

/// <summary>
/// Where an upgrade's forwarding gap goes: a <see cref="Stopwatch"/> timestamp per <see cref="HandOverStep"/>
/// (CLOCK_MONOTONIC, comparable across the two processes; 0 = not reached). The predecessor sends its own with the
/// state; the successor adds its own and says the whole in one line (<see cref="Describe"/>) after its
/// <c>UPGRADE pid=N gap_ms=G</c>.
/// </summary>
public sealed class HandOverTimeline
{
    private static readonly HandOverStep[] Steps = Enum.GetValues<HandOverStep>();
    private readonly long[] _at = new long[Steps.Length];

    public void Mark(HandOverStep step) => _at[(int)step] = Stopwatch.GetTimestamp();

    public void Set(HandOverStep step, long timestamp) => _at[(int)step] = timestamp;

    public long this[HandOverStep step] => _at[(int)step];

    /// <summary>From the stop request to the first batch, in ms; null when either was not reached.</summary>
    public double? GapMilliseconds => this[HandOverStep.StopRequested] == 0 || this[HandOverStep.FirstBatch] == 0 ? null
        : Stopwatch.GetElapsedTime(this[HandOverStep.StopRequested], this[HandOverStep.FirstBatch]).TotalMilliseconds;

    /// <summary>
    /// <c>workers_stopped=+A state_read=+B ...</c>: each step's milliseconds since the step reached before it, from the
    /// stop request on, in the order they happened; <c>-</c> for one not reached.
    /// </summary>
    public string Describe()
    {
        long previous = this[HandOverStep.StopRequested];
        if (previous == 0)
            return "(the stop request was not timed)";
        // In the order they happened (a first batch may come after the take-over's last step), then those not reached.
        IEnumerable<HandOverStep> reached = Steps.Skip(1).Where(s => this[s] != 0).OrderBy(s => this[s]);
        var text = new StringBuilder();
        foreach (HandOverStep step in reached)
        {
            text.Append(text.Length == 0 ? "" : " ").Append(Name(step)).Append("=+").Append(Milliseconds(previous, this[step]));
            previous = this[step];
        }
        foreach (HandOverStep step in Steps.Skip(1).Where(s => this[s] == 0))
            text.Append(text.Length == 0 ? "" : " ").Append(Name(step)).Append("=-");
        return text.ToString();
    }

    private static string Milliseconds(long from, long to) =>
        Stopwatch.GetElapsedTime(from, to).TotalMilliseconds.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary><c>workers_stopped</c> for <see cref="HandOverStep.WorkersStopped"/>.</summary>
    public static string Name(HandOverStep step)
    {
        string name = step.ToString();
        var snake = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
                snake.Append('_');
            snake.Append(char.ToLowerInvariant(name[i]));
        }
        return snake.ToString();
    }
}
