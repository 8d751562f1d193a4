using System.Globalization;
using System.Text;
using Forwarder.Interop;

namespace Forwarder.Hosting;

/// <summary>
/// When each <see cref="StartupPhase"/> of <c>forwarder run</c> was reached, on the kernel's boot clock, told as
/// milliseconds since the process was exec'd (its start time in /proc/self/stat, to the kernel's 10 ms tick). The
/// capability re-exec keeps the pid and start time; the phases before it are handed over in
/// <see cref="EnvironmentVariable"/>, so one line covers both images. Control path only.
/// </summary>
public static class StartupTimeline
{
    public const string EnvironmentVariable = "FORWARDER_START_PHASES";

    /// <summary>At most this many phases are kept (both images' together); later marks are ignored.</summary>
    public const int Capacity = 32;

    private static readonly List<(StartupPhase Phase, long At)> Marks = new(Capacity);

    /// <summary>Records that <paramref name="phase"/> is reached now.</summary>
    public static void Mark(StartupPhase phase) => Add(phase, Posix.BootTimeNanoseconds());

    private static void Add(StartupPhase phase, long at)
    {
        lock (Marks)
        {
            if (Marks.Count < Capacity && at > 0)
                Marks.Add((phase, at));
        }
    }

    /// <summary>
    /// The phases so far, in the order reached, as milliseconds since exec (none before the process started); since
    /// the first phase when the start time cannot be read.
    /// </summary>
    public static IReadOnlyList<(StartupPhase Phase, double Milliseconds)> Phases()
    {
        long start = ProcessStartNanoseconds();
        lock (Marks)
        {
            if (start == 0 && Marks.Count > 0)
                start = Marks.Min(m => m.At);
            return Marks.OrderBy(m => m.At).Select(m => (m.Phase, Math.Max(0, m.At - start) / 1e6)).ToArray();
        }
    }

    /// <summary>
    /// E.g. <c>runtime up 61 ms, config loaded 140 ms, ..., exec 205 ms, successor up 262 ms, ..., first batch forwarded 310 ms</c>:
    /// a <see cref="StartupPhase.RuntimeUp"/> after an exec is the successor's.
    /// </summary>
    public static string Format() => Format(Phases());

    public static string Format(IReadOnlyList<(StartupPhase Phase, double Milliseconds)> phases)
    {
        var text = new StringBuilder();
        bool execed = false;
        foreach ((StartupPhase phase, double ms) in phases)
        {
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
        lock (Marks)
            return Encode(Marks);
    }

    /// <summary><paramref name="marks"/> as <see cref="Parse"/> reads them.</summary>
    public static string Encode(IEnumerable<(StartupPhase Phase, long At)> marks) =>
        string.Join(',', marks.Select(m => $"{(int)m.Phase}:{m.At.ToString(CultureInfo.InvariantCulture)}"));

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
        foreach ((StartupPhase phase, long at) in Parse(text))
            Add(phase, at);
    }

    /// <summary>The marks <see cref="Encode"/> wrote; none when any item is malformed or there are more than <see cref="Capacity"/>.</summary>
    public static IReadOnlyList<(StartupPhase Phase, long At)> Parse(string text)
    {
        var marks = new List<(StartupPhase, long)>();
        foreach (string item in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = item.Split(':');
            if (parts.Length != 2 || marks.Count >= Capacity
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int phase) || !Enum.IsDefined((StartupPhase)phase)
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long at) || at <= 0)
                return [];
            marks.Add(((StartupPhase)phase, at));
        }
        return marks;
    }

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
