using System.Globalization;
using System.Text;
using Forwarder.Interop;

namespace Forwarder.Hosting;

/// <summary>
/// When each <see cref="StartupPhase"/> of <c>forwarder run</c> was reached, on the kernel's boot clock, told as
/// milliseconds since the process was exec'd (its start time in /proc/self/stat, to the kernel's 10 ms tick). The
/// capability re-exec keeps the pid and start time; the phases before it are handed over in
/// <see cref="EnvironmentVariable"/>, so one line covers both images. Control path only. Kept in arrays and read
/// with plain loops: lists or LINQ over value tuples are generic code that no ReadyToRun image holds, which both
/// images would JIT-compile before their first phase.
/// </summary>
public static class StartupTimeline
{
    public const string EnvironmentVariable = "FORWARDER_START_PHASES";

    /// <summary>At most this many phases are kept (both images' together); later marks are ignored.</summary>
    public const int Capacity = 32;

    private static readonly object Gate = new();
    private static readonly StartupPhase[] MarkedPhases = new StartupPhase[Capacity];
    private static readonly long[] MarkedAt = new long[Capacity];
    private static int _count;

    /// <summary>Records that <paramref name="phase"/> is reached now.</summary>
    public static void Mark(StartupPhase phase) => Add(phase, Posix.BootTimeNanoseconds());

    private static void Add(StartupPhase phase, long at)
    {
        lock (Gate)
        {
            if (_count < Capacity && at > 0)
            {
                MarkedPhases[_count] = phase;
                MarkedAt[_count] = at;
                _count++;
            }
        }
    }

    /// <summary>
    /// The phases so far, in the order reached, as milliseconds since exec (none before the process started); since
    /// the first phase when the start time cannot be read.
    /// </summary>
    public static IReadOnlyList<(StartupPhase Phase, double Milliseconds)> Phases() => PhasesInOrder();

    private static (StartupPhase Phase, double Milliseconds)[] PhasesInOrder()
    {
        long start = ProcessStartNanoseconds();
        lock (Gate)
        {
            var order = new int[_count];
            for (int i = 0; i < _count; i++) // insertion sort by time, stable: a few dozen marks at most
            {
                int j = i;
                for (; j > 0 && MarkedAt[order[j - 1]] > MarkedAt[i]; j--)
                    order[j] = order[j - 1];
                order[j] = i;
            }
            if (start == 0 && _count > 0)
                start = MarkedAt[order[0]];
            var phases = new (StartupPhase Phase, double Milliseconds)[_count];
            for (int i = 0; i < _count; i++)
                phases[i] = (MarkedPhases[order[i]], Math.Max(0, MarkedAt[order[i]] - start) / 1e6);
            return phases;
        }
    }

    /// <summary>
    /// E.g. <c>runtime up 61 ms, config loaded 140 ms, ..., exec 205 ms, successor up 262 ms, ..., first batch forwarded 310 ms</c>:
    /// a <see cref="StartupPhase.RuntimeUp"/> after an exec is the successor's.
    /// </summary>
    public static string Format() => Join(PhasesInOrder());

    public static string Format(IReadOnlyList<(StartupPhase Phase, double Milliseconds)> phases) => Join([.. phases]);

    private static string Join((StartupPhase Phase, double Milliseconds)[] phases)
    {
        var text = new StringBuilder();
        bool execed = false;
        for (int i = 0; i < phases.Length; i++)
        {
            (StartupPhase phase, double ms) = phases[i];
            if (text.Length > 0)
                text.Append(", ");
            text.Append(phase == StartupPhase.RuntimeUp && execed ? "successor up" : NameOf(phase))
                .Append(' ').Append(ms.ToString("0", CultureInfo.InvariantCulture)).Append(" ms");
            execed |= phase == StartupPhase.ReExec;
        }
        return text.ToString();
    }

    public static string NameOf(StartupPhase phase) => phase switch
    {
        StartupPhase.RuntimeUp => "runtime up",
        StartupPhase.ConfigLoaded => "config loaded",
        StartupPhase.Checked => "checked",
        StartupPhase.PrivilegedSetUp => "privileged set-up",
        StartupPhase.ReExec => "exec",
        StartupPhase.SocketsAdopted => "sockets adopted",
        StartupPhase.MapsFilled => "maps filled",
        StartupPhase.ProgramAttached => "program attached",
        StartupPhase.WorkersStarted => "workers started",
        StartupPhase.FirstBatchForwarded => "first batch forwarded",
        _ => phase.ToString(),
    };

    /// <summary>The marks so far, for <see cref="EnvironmentVariable"/> across the re-exec: <c>PHASE:NANOSECONDS,...</c>.</summary>
    public static string HandOver()
    {
        lock (Gate)
        {
            var text = new StringBuilder();
            for (int i = 0; i < _count; i++)
                Append(text, MarkedPhases[i], MarkedAt[i]);
            return text.ToString();
        }
    }

    /// <summary><paramref name="marks"/> as <see cref="Parse"/> reads them.</summary>
    public static string Encode(IEnumerable<(StartupPhase Phase, long At)> marks)
    {
        var text = new StringBuilder();
        foreach ((StartupPhase phase, long at) in marks)
            Append(text, phase, at);
        return text.ToString();
    }

    private static void Append(StringBuilder text, StartupPhase phase, long at)
    {
        if (text.Length > 0)
            text.Append(',');
        text.Append(((int)phase).ToString(CultureInfo.InvariantCulture)).Append(':').Append(at.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// In the exec'd image: takes the predecessor's marks out of the environment. A value that does not read as
    /// marks is dropped whole: timing is never a reason not to start.
    /// </summary>
    public static void RestoreFromEnvironment()
    {
        string? text = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (text is null)
            return;
        Environment.SetEnvironmentVariable(EnvironmentVariable, null);
        Posix.Unsetenv(EnvironmentVariable);
        (StartupPhase Phase, long At)[] marks = ParseMarks(text);
        for (int i = 0; i < marks.Length; i++)
            Add(marks[i].Phase, marks[i].At);
    }

    /// <summary>The marks <see cref="Encode"/> wrote; none when any item is malformed or there are more than <see cref="Capacity"/>.</summary>
    public static IReadOnlyList<(StartupPhase Phase, long At)> Parse(string text) => ParseMarks(text);

    private static (StartupPhase Phase, long At)[] ParseMarks(string text)
    {
        string[] items = text.Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (items.Length > Capacity)
            return [];
        var marks = new (StartupPhase Phase, long At)[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            string[] parts = items[i].Split(':');
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int phase) || phase < 0 || phase > (int)LastPhase
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long at) || at <= 0)
                return [];
            marks[i] = ((StartupPhase)phase, at);
        }
        return marks;
    }

    /// <summary>The highest phase (phases are numbered from 0 without gaps), checked against the range instead of <c>Enum.IsDefined</c>, which is generic code JIT-compiled at start.</summary>
    internal const StartupPhase LastPhase = StartupPhase.FirstBatchForwarded;

    /// <summary>When this process was exec'd (first image), on the boot clock; 0 when /proc/self/stat cannot be read.</summary>
    private static long ProcessStartNanoseconds()
    {
        try
        {
            // Field 22, counted after the ')' that ends the command name (which may hold spaces).
            string stat = File.ReadAllText("/proc/self/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long ticks = long.Parse(fields[19], CultureInfo.InvariantCulture);
            return ticks * (1_000_000_000 / ClockTicksPerSecond);
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>USER_HZ, the unit of /proc's times: 100 on every Linux architecture the forwarder runs on.</summary>
    private const long ClockTicksPerSecond = 100;
}
