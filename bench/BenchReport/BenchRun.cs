using System.Globalization;

namespace BenchReport;

/// <summary>One case as bench/e2e.sh ran it: its settings and its windows.</summary>
public sealed class CaseRun
{
    public required string Name { get; init; }
    public int? Flows { get; init; }
    public int? Backends { get; init; }
    public string Queues { get; init; } = "";
    /// <summary>The generator's own figure for what it offered over its whole run (its OFFERED line), if it printed one.</summary>
    public double? OfferedMpps { get; set; }
    public int? IdlePercent { get; init; }

    /// <summary>The sink's own windows (its counting XDP program), where the case has a measuring sink: the cross-check.</summary>
    public List<CounterWindow> Windows { get; } = [];

    /// <summary>The interfaces' own counters at every window edge (bench/e2e.sh reads <c>ethtool -S</c> of g0 and l0).</summary>
    public List<CounterSample> Samples { get; } = [];

    /// <summary>The windows between consecutive edges of <see cref="Samples"/>.</summary>
    public IReadOnlyList<InterfaceWindow> InterfaceWindows => _interfaceWindows ??= InterfaceWindow.FromSamples(Samples);

    private List<InterfaceWindow>? _interfaceWindows;

    /// <summary>The kernel baselines (XDP_DROP, XDP_TX) against the forwarder's cases.</summary>
    public bool IsKernel => Name is "drop" or "tx";
}

/// <summary>
/// The file bench/e2e.sh appends to while it runs, one tab-separated record a line:
/// <code>
/// meta    KEY     VALUE
/// case    NAME    FLOWS   BACKENDS   QUEUES   IDLE_PERCENT
/// offered NAME    MPPS
/// window  NAME    RUN 1 seconds=10.000 start=0 end=38000000 mpps=3.800
/// ifstat  NAME    EDGE    SIDE    TIME_NS    rx_queue_0_xdp_packets: 123    tx_queue_0_xdp_xmit: 456 ...
/// </code>
/// <c>window</c> is the sink's own line; <c>ifstat</c> one interface's <c>ethtool -S</c> counters (SIDE <c>gen</c> = g0,
/// <c>lb</c> = l0) at window edge EDGE (0 = the first window's start, N = window N's end), read at TIME_NS.
/// Empty fields and "-" mean "not applicable". Lines starting with '#' are ignored.
/// </summary>
public sealed class BenchRun
{
    public Dictionary<string, string> Meta { get; } = new(StringComparer.Ordinal);
    public List<CaseRun> Cases { get; } = [];

    public string MetaOr(string key, string fallback) => Meta.TryGetValue(key, out string? v) && v.Length > 0 ? v : fallback;

    public CaseRun? Case(string name) => Cases.FirstOrDefault(c => c.Name == name);

    public static BenchRun Parse(IEnumerable<string> lines)
    {
        var run = new BenchRun();
        int number = 0;
        foreach (string raw in lines)
        {
            number++;
            string line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            string[] f = line.Split('\t');
            try
            {
                switch (f[0])
                {
                    case "meta" when f.Length >= 3:
                        run.Meta[f[1]] = f[2];
                        break;
                    case "case" when f.Length >= 6:
                        if (run.Case(f[1]) is not null)
                            throw new FormatException($"case {f[1]} appears twice");
                        run.Cases.Add(new CaseRun
                        {
                            Name = f[1],
                            Flows = OptionalInt(f[2]),
                            Backends = OptionalInt(f[3]),
                            Queues = f[4] == "-" ? "" : f[4],
                            IdlePercent = OptionalInt(f[5]),
                        });
                        break;
                    case "offered" when f.Length >= 3:
                        Known(run, f[1]).OfferedMpps = f[2] is "" or "-" or "?" ? null : double.Parse(f[2], NumberStyles.Float, CultureInfo.InvariantCulture);
                        break;
                    case "window" when f.Length >= 3:
                        Known(run, f[1]).Windows.Add(CounterWindow.Parse(f[2]));
                        break;
                    case "ifstat" when f.Length >= 5:
                        Known(run, f[1]).Samples.Add(CounterSample.Parse(f[2..]));
                        break;
                    default:
                        throw new FormatException($"unknown or short record '{f[0]}'");
                }
            }
            catch (FormatException e)
            {
                throw new FormatException($"line {number}: {e.Message}", e);
            }
        }
        foreach (CaseRun c in run.Cases)
        {
            try
            {
                _ = c.InterfaceWindows;
            }
            catch (FormatException e)
            {
                throw new FormatException($"case {c.Name}: {e.Message}", e);
            }
        }
        return run;
    }

    private static CaseRun Known(BenchRun run, string name) =>
        run.Case(name) ?? throw new FormatException($"case {name} has no 'case' record before it");

    private static int? OptionalInt(string text) =>
        text is "" or "-" ? null : int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
