using System.Text.Json;
using System.Text.Json.Nodes;

namespace BenchReport;

/// <summary>A case's figures: the window rates in Mpps, their median/min/max and the same-run ratios to the kernel.</summary>
public sealed record CaseResult(CaseRun Run, IReadOnlyList<double> WindowsMpps, RateStats? Stats, double? RatioToXdpTx, double? RatioToXdpDrop)
{
    public string Name => Run.Name;
}

/// <summary>The figures of one bench/e2e.sh run, ready to print and to write as JSON.</summary>
public sealed class Report
{
    public const string Schema = "forwarder-bench/1";

    public required BenchRun Run { get; init; }
    public required IReadOnlyList<CaseResult> Cases { get; init; }
    public IReadOnlyList<MicroResult> Micro { get; init; } = [];
    public string? MicroSource { get; init; }

    public static Report Build(BenchRun run, IReadOnlyList<MicroResult>? micro = null, string? microSource = null)
    {
        double? tx = Median(run, "tx");
        double? drop = Median(run, "drop");
        var cases = run.Cases.Select(c =>
        {
            double[] mpps = [.. c.Windows.Select(w => w.Rate / 1e6)];
            RateStats? stats = mpps.Length > 0 ? RateStats.Of(mpps) : null;
            double? ratioTx = stats is null || c.Name == "tx" ? null : RateStats.Ratio(stats.Median, tx);
            double? ratioDrop = stats is null || c.Name == "drop" ? null : RateStats.Ratio(stats.Median, drop);
            return new CaseResult(c, mpps, stats, ratioTx, ratioDrop);
        }).ToList();
        return new Report { Run = run, Cases = cases, Micro = micro ?? [], MicroSource = microSource };
    }

    private static double? Median(BenchRun run, string name) =>
        run.Case(name) is { Windows.Count: > 0 } c ? RateStats.Of([.. c.Windows.Select(w => w.Rate / 1e6)]).Median : null;

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
            cases.Add(new JsonObject
            {
                ["name"] = c.Name,
                ["kind"] = c.Run.IsKernel ? "kernel" : "forwarder",
                ["description"] = CaseInfo.Describe(c.Name),
                ["flows"] = c.Run.Flows,
                ["backends"] = c.Run.Backends,
                ["queues"] = c.Run.Queues,
                ["idle_percent_before"] = c.Run.IdlePercent,
                ["offered_mpps"] = Round(c.Run.OfferedMpps),
                ["windows"] = new JsonArray([.. c.Run.Windows.Select(w => (JsonNode)new JsonObject
                {
                    ["seconds"] = Math.Round(w.Seconds, 6),
                    ["packets"] = w.Packets,
                    ["mpps"] = Round(w.Rate / 1e6),
                })]),
                ["median_mpps"] = Round(c.Stats?.Median),
                ["min_mpps"] = Round(c.Stats?.Min),
                ["max_mpps"] = Round(c.Stats?.Max),
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
            ["counting"] = "packets counted at the receiving interface by the sink's counting XDP program, never the forwarder's own counters",
            ["cases"] = cases,
            ["micro_source"] = MicroSource,
            ["micro"] = micro,
        };
    }

    public string ToJsonText() => ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 4) : null;

    /// <summary>The terminal table: one row a case, Mpps median [min–max], the ratio to XDP_TX.</summary>
    public string ToTable()
    {
        var w = new StringWriter();
        w.WriteLine($"{"case",-8} {"flows",9} {"backends",8} {"queues",6} {"median Mpps",11} {"[min - max]",17} {"/XDP_TX",8} {"offered",8}  windows");
        foreach (CaseResult c in Cases)
        {
            string median = c.Stats is { } s ? $"{s.Median:F3}" : "none";
            string range = c.Stats is { } r ? $"[{r.Min:F3} - {r.Max:F3}]" : "";
            string ratio = c.RatioToXdpTx is { } q ? $"{q:F2}" : "";
            string offered = c.Run.OfferedMpps is { } o ? $"{o:F2}" : "?";
            w.WriteLine($"{c.Name,-8} {c.Run.Flows?.ToString() ?? "-",9} {c.Run.Backends?.ToString() ?? "-",8} {Blank(c.Run.Queues),6} {median,11} {range,17} {ratio,8} {offered,8}  {string.Join(' ', c.WindowsMpps.Select(m => m.ToString("F3")))}");
        }
        if (Micro.Count > 0)
        {
            w.WriteLine();
            w.WriteLine($"micro-benchmarks ({MicroSource}):");
            foreach (MicroResult m in Micro)
                w.WriteLine($"  {m.Benchmark,-28} {m.Case,-40} {m.Mean,12}");
        }
        return w.ToString();
    }

    private static string Blank(string s) => s.Length == 0 ? "-" : s;
}
