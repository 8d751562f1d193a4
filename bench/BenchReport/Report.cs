using System.Text.Json;
using System.Text.Json.Nodes;

namespace BenchReport;

/// <summary>
/// A case's figures. Its rate comes from the interfaces' own counters (<see cref="Source"/> "interfaces": the
/// <see cref="Counted"/> quantity, window by window) or, in files from before bench/e2e.sh read them, from the
/// sink's windows ("sink"). <see cref="SinkStats"/> is the sink's own count over its own windows: a cross-check.
/// </summary>
public sealed record CaseResult(
    CaseRun Run,
    string Source,
    Quantity? Counted,
    IReadOnlyList<double> WindowsMpps,
    RateStats? Stats,
    double? RatioToXdpTx,
    double? RatioToXdpDrop,
    Baseline Baseline,
    double? RatioToBaseline,
    RateStats? SinkStats,
    IReadOnlyDictionary<Quantity, RateStats> InterfaceStats)
{
    public string Name => Run.Name;

    /// <summary>
    /// The offered rate: g0's own count of what the generator sent when there is one, else the generator's claim
    /// (its socket method sends skbs through an AF_XDP socket, which g0's XDP counters never see: they read 0).
    /// </summary>
    public double? OfferedMpps => InterfaceStats.TryGetValue(Quantity.Offered, out RateStats? s) && s.Median > 0 ? s.Median : Run.OfferedMpps;
}

/// <summary>The figures of one bench/e2e.sh run, ready to print and to write as JSON.</summary>
public sealed class Report
{
    public const string Schema = "forwarder-bench/2";

    public const string Counting =
        "rates from the interfaces' own counters (ethtool -S of the veth pair) at the end where the frames stop, read at " +
        "every window edge: drop = l0's XDP_DROP verdicts, lbrx and crx = frames l0 placed on the receiving socket's RX ring, " +
        "every other case = frames arriving back at g0; offered = frames the generator sent out of g0; the sink's " +
        "XDP program count is a cross-check; the forwarder's own counters are never used";

    public required BenchRun Run { get; init; }
    public required IReadOnlyList<CaseResult> Cases { get; init; }
    public IReadOnlyList<MicroResult> Micro { get; init; } = [];
    public string? MicroSource { get; init; }

    public static Report Build(BenchRun run, IReadOnlyList<MicroResult>? micro = null, string? microSource = null)
    {
        var primary = run.Cases.ToDictionary(c => c.Name, Primary);
        double? tx = primary.TryGetValue("tx", out var t) && t.Mpps.Length > 0 ? RateStats.Of(t.Mpps).Median : null;
        double? drop = primary.TryGetValue("drop", out var d) && d.Mpps.Length > 0 ? RateStats.Of(d.Mpps).Median : null;
        var cases = run.Cases.Select(c =>
        {
            (string source, Quantity? counted, double[] mpps) = primary[c.Name];
            RateStats? stats = mpps.Length > 0 ? RateStats.Of(mpps) : null;
            double? ratioTx = stats is null || c.Name == "tx" ? null : RateStats.Ratio(stats.Median, tx);
            double? ratioDrop = stats is null || c.Name == "drop" ? null : RateStats.Ratio(stats.Median, drop);
            Baseline baseline = CaseInfo.BaselineOf(c.Name);
            double? ratio = baseline switch { Baseline.XdpTx => ratioTx, Baseline.XdpDrop => ratioDrop, _ => null };
            RateStats? sink = c.Windows.Count > 0 ? RateStats.Of([.. c.Windows.Select(w => w.Rate / 1e6)]) : null;
            var perQuantity = new Dictionary<Quantity, RateStats>();
            if (c.InterfaceWindows.Count > 0)
            {
                foreach (Quantity q in Quantities.All)
                    perQuantity[q] = RateStats.Of([.. c.InterfaceWindows.Select(w => w.Rate(q) / 1e6)]);
            }
            return new CaseResult(c, source, counted, mpps, stats, ratioTx, ratioDrop, baseline, ratio, sink, perQuantity);
        }).ToList();
        return new Report { Run = run, Cases = cases, Micro = micro ?? [], MicroSource = microSource };
    }

    /// <summary>A case's rate per window: from the interfaces when they were read, else from the sink.</summary>
    private static (string Source, Quantity? Counted, double[] Mpps) Primary(CaseRun c)
    {
        if (c.InterfaceWindows.Count > 0)
        {
            Quantity q = CaseInfo.Delivered(c.Name);
            return ("interfaces", q, [.. c.InterfaceWindows.Select(w => w.Rate(q) / 1e6)]);
        }
        return ("sink", null, [.. c.Windows.Select(w => w.Rate / 1e6)]);
    }

    /// <summary>Cases that measured nothing or a zero median: a smoke run fails on any.</summary>
    public IEnumerable<string> EmptyCases() => Cases.Where(c => c.Stats is not { Median: > 0 }).Select(c => c.Name);

    public JsonObject ToJson()
    {
        var meta = new JsonObject();
        foreach ((string key, string value) in Run.Meta.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            meta[key] = value;
        var cases = new JsonArray();
        foreach (CaseResult c in Cases)
        {
            JsonArray windows = c.Source == "interfaces"
                ? new JsonArray([.. c.Run.InterfaceWindows.Select(w => (JsonNode)new JsonObject
                {
                    ["seconds"] = Math.Round(w.Seconds(Quantities.SideOf(c.Counted!.Value)), 6),
                    ["packets"] = w.Packets(c.Counted!.Value),
                    ["mpps"] = Round(w.Rate(c.Counted!.Value) / 1e6),
                    ["interface_mpps"] = QuantityObject(q => w.Rate(q) / 1e6),
                    ["interface_packets"] = new JsonObject([.. Quantities.All.Select(q =>
                        KeyValuePair.Create(Quantities.Name(q), (JsonNode?)JsonValue.Create(w.Packets(q))))]),
                })])
                : SinkWindows(c.Run);
            cases.Add(new JsonObject
            {
                ["name"] = c.Name,
                ["kind"] = c.Run.IsKernel ? "kernel" : CaseInfo.IsCReference(c.Name) ? "c_reference" : "forwarder",
                ["description"] = CaseInfo.Describe(c.Name),
                ["flows"] = c.Run.Flows,
                ["backends"] = c.Run.Backends,
                ["queues"] = c.Run.Queues,
                ["idle_percent_before"] = c.Run.IdlePercent,
                ["source"] = c.Source,
                ["counted"] = c.Counted is { } q ? Quantities.Name(q) : "sink",
                ["windows"] = windows,
                ["median_mpps"] = Round(c.Stats?.Median),
                ["min_mpps"] = Round(c.Stats?.Min),
                ["max_mpps"] = Round(c.Stats?.Max),
                ["offered_mpps"] = Round(c.OfferedMpps),
                ["generator_offered_mpps"] = Round(c.Run.OfferedMpps),
                ["interface_median_mpps"] = c.InterfaceStats.Count > 0 ? QuantityObject(q => c.InterfaceStats[q].Median) : null,
                ["sink_median_mpps"] = Round(c.SinkStats?.Median),
                ["sink_windows"] = c.Source == "interfaces" ? SinkWindows(c.Run) : null,
                ["baseline"] = c.Baseline == Baseline.None ? null : CaseInfo.Name(c.Baseline),
                ["ratio_to_baseline"] = Round(c.RatioToBaseline),
                ["ratio_to_xdp_tx"] = Round(c.RatioToXdpTx),
                ["ratio_to_xdp_drop"] = Round(c.RatioToXdpDrop),
            });
        }
        var micro = new JsonArray([.. Micro.Select(m => (JsonNode)new JsonObject
        {
            ["benchmark"] = m.Benchmark,
            ["case"] = m.Case,
            ["mean"] = m.Mean,
            ["mean_ns"] = m.MeanNanoseconds is { } ns ? Math.Round(ns, 3) : null,
        })]);
        return new JsonObject
        {
            ["schema"] = Schema,
            ["meta"] = meta,
            ["counting"] = Counting,
            ["cases"] = cases,
            ["micro_source"] = MicroSource,
            ["micro"] = micro,
        };
    }

    private static JsonObject QuantityObject(Func<Quantity, double> mpps) =>
        new([.. Quantities.All.Select(q => KeyValuePair.Create(Quantities.Name(q), (JsonNode?)JsonValue.Create(Round(mpps(q)))))]);

    private static JsonArray SinkWindows(CaseRun run) => new([.. run.Windows.Select(w => (JsonNode)new JsonObject
    {
        ["seconds"] = Math.Round(w.Seconds, 6),
        ["packets"] = w.Packets,
        ["mpps"] = Round(w.Rate / 1e6),
    })]);

    public string ToJsonText() => ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 4) : null;

    /// <summary>
    /// The terminal table: one row a case — Mpps median [min–max] from the interfaces, the ratio to its kernel
    /// baseline (XDP_TX for the forwarding cases, XDP_DROP for lbrx and crx), the offered rate and the sink's cross-check.
    /// </summary>
    public string ToTable()
    {
        var w = new StringWriter();
        w.WriteLine(Header);
        foreach (CaseResult c in Cases)
            w.WriteLine(Row(c));
        if (Micro.Count > 0)
        {
            w.WriteLine();
            w.WriteLine($"micro-benchmarks ({MicroSource}):");
            foreach (MicroResult m in Micro)
                w.WriteLine($"  {m.Benchmark,-28} {m.Case,-40} {m.Mean,12}");
        }
        return w.ToString();
    }

    public static string Header =>
        $"{"case",-8} {"flows",9} {"backends",8} {"queues",6} {"median Mpps",11} {"[min - max]",17} {"ratio",6} {"to",-8} {"offered",8} {"sink",7}  windows";

    /// <summary>One case's table row.</summary>
    public static string Row(CaseResult c)
    {
        string median = c.Stats is { } s ? $"{s.Median:F3}" : "none";
        string range = c.Stats is { } r ? $"[{r.Min:F3} - {r.Max:F3}]" : "";
        string ratio = c.RatioToBaseline is { } q ? $"{q:F2}" : "";
        string to = c.Baseline switch { Baseline.XdpTx => "XDP_TX", Baseline.XdpDrop => "XDP_DROP", _ => "" };
        string offered = c.OfferedMpps is { } o ? $"{o:F2}" : "?";
        string sink = c.SinkStats is { } k ? $"{k.Median:F3}" : "-";
        return $"{c.Name,-8} {c.Run.Flows?.ToString() ?? "-",9} {c.Run.Backends?.ToString() ?? "-",8} {Blank(c.Run.Queues),6} {median,11} {range,17} {ratio,6} {to,-8} {offered,8} {sink,7}  {string.Join(' ', c.WindowsMpps.Select(m => m.ToString("F3")))}";
    }

    private static string Blank(string s) => s.Length == 0 ? "-" : s;
}
