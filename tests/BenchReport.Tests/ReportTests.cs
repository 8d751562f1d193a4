using System.Text.Json.Nodes;

namespace BenchReport.Tests;

public class ReportTests
{
    // Rates: drop 4.0 (median of 3.9, 4.0, 4.2), tx 2.0 (median of 1.9, 2.0, 2.1), lb 1.0 (median of 0.9, 1.0, 1.2).
    private static readonly string[] Lines =
    [
        "# comment",
        "meta\tdate\t2026-11-22",
        "meta\thost\tbox",
        "case\tdrop\t1024\t-\t1\t99",
        "case\ttx\t1024\t-\t1\t98",
        "case\tlb\t1000000\t1000\t1\t97",
        "offered\tdrop\t5.5",
        "window\tdrop\tRUN 1 seconds=1 start=0 end=3900000 mpps=3.900",
        "window\tdrop\tRUN 2 seconds=1 start=3900000 end=8100000 mpps=4.200",
        "window\tdrop\tRUN 3 seconds=1 start=8100000 end=12100000 mpps=4.000",
        "offered\ttx\t?",
        "window\ttx\tRUN 1 seconds=2 start=0 end=3800000",
        "window\ttx\tRUN 2 seconds=2 start=0 end=4000000",
        "window\ttx\tRUN 3 seconds=2 start=0 end=4200000",
        "window\tlb\tRUN 1 seconds=1 start=0 end=900000",
        "window\tlb\tRUN 2 seconds=1 start=0 end=1200000",
        "window\tlb\tRUN 3 seconds=1 start=0 end=1000000",
    ];

    private static Report Sample() => Report.Build(BenchRun.Parse(Lines));

    [Fact]
    public void Parses_meta_cases_offered_rates_and_windows()
    {
        BenchRun run = BenchRun.Parse(Lines);

        Assert.Equal("box", run.Meta["host"]);
        Assert.Equal(["drop", "tx", "lb"], run.Cases.Select(c => c.Name));
        CaseRun lb = run.Case("lb")!;
        Assert.Equal(1000000, lb.Flows);
        Assert.Equal(1000, lb.Backends);
        Assert.Equal("1", lb.Queues);
        Assert.Equal(97, lb.IdlePercent);
        Assert.Null(run.Case("drop")!.Backends);
        Assert.Equal(5.5, run.Case("drop")!.OfferedMpps);
        Assert.Null(run.Case("tx")!.OfferedMpps);
        Assert.Equal(3, lb.Windows.Count);
    }

    [Theory]
    [InlineData("window\tlb\tRUN 1 seconds=1 start=0 end=1")] // no case record before it
    [InlineData("bogus\tx\ty")]
    [InlineData("case\tlb\t1")]
    [InlineData("case\tlb\tmany\t3\t1\t99")]
    public void Rejects_bad_records_with_their_line_number(string line)
    {
        var e = Assert.Throws<FormatException>(() => BenchRun.Parse(["meta\tdate\tx", line]));
        Assert.StartsWith("line 2:", e.Message);
    }

    [Fact]
    public void A_case_given_twice_is_an_error()
    {
        Assert.Throws<FormatException>(() => BenchRun.Parse(["case\tlb\t-\t-\t1\t99", "case\tlb\t-\t-\t1\t99"]));
    }

    [Fact]
    public void Computes_median_min_max_per_case_from_the_counters()
    {
        CaseResult drop = Sample().Cases.Single(c => c.Name == "drop");

        Assert.Equal(4.0, drop.Stats!.Median, 9);
        Assert.Equal(3.9, drop.Stats.Min, 9);
        Assert.Equal(4.2, drop.Stats.Max, 9);
        Assert.Equal([3.9, 4.2, 4.0], drop.WindowsMpps.Select(m => Math.Round(m, 9)));
    }

    [Fact]
    public void Ratios_are_to_the_same_runs_kernel_medians()
    {
        Report report = Sample();
        CaseResult lb = report.Cases.Single(c => c.Name == "lb");

        Assert.Equal(0.5, lb.RatioToXdpTx!.Value, 9);   // 1.0 / 2.0
        Assert.Equal(0.25, lb.RatioToXdpDrop!.Value, 9); // 1.0 / 4.0
        Assert.Null(report.Cases.Single(c => c.Name == "tx").RatioToXdpTx);
        Assert.Equal(0.5, report.Cases.Single(c => c.Name == "tx").RatioToXdpDrop!.Value, 9);
        Assert.Null(report.Cases.Single(c => c.Name == "drop").RatioToXdpDrop);
    }

    [Fact]
    public void Without_kernel_cases_there_are_no_ratios()
    {
        Report report = Report.Build(BenchRun.Parse(["case\tlb\t-\t3\t1\t99", "window\tlb\tRUN 1 seconds=1 start=0 end=5"]));

        Assert.Null(report.Cases[0].RatioToXdpTx);
        Assert.Null(report.Cases[0].RatioToXdpDrop);
    }

    [Fact]
    public void Cases_without_windows_or_with_zero_rate_are_reported_empty()
    {
        Report report = Report.Build(BenchRun.Parse(
        [
            "case\tfwd\t-\t-\t1\t99",
            "case\tlb\t-\t3\t1\t99",
            "window\tlb\tRUN 1 seconds=1 start=7 end=7",
            "case\ttx\t-\t-\t1\t99",
            "window\ttx\tRUN 1 seconds=1 start=0 end=7",
        ]));

        Assert.Equal(["fwd", "lb"], report.EmptyCases());
        Assert.Null(report.Cases[0].Stats);
    }

    [Fact]
    public void Json_has_the_documented_shape()
    {
        var micro = new List<MicroResult> { new("ParseBenchmarks", "Parse UmemChunk", "15.65 ns") };
        JsonObject json = JsonNode.Parse(Report.Build(BenchRun.Parse(Lines), micro, "/tmp/bdn").ToJsonText())!.AsObject();

        Assert.Equal("forwarder-bench/2", (string?)json["schema"]);
        Assert.Equal("box", (string?)json["meta"]!["host"]);
        Assert.NotNull(json["counting"]);
        JsonArray cases = json["cases"]!.AsArray();
        Assert.Equal(3, cases.Count);
        JsonObject lb = cases[2]!.AsObject();
        Assert.Equal(
            ["name", "kind", "description", "flows", "backends", "queues", "idle_percent_before", "source", "counted", "windows",
             "median_mpps", "min_mpps", "max_mpps", "offered_mpps", "generator_offered_mpps", "interface_median_mpps",
             "sink_median_mpps", "sink_windows", "baseline", "ratio_to_baseline", "ratio_to_xdp_tx", "ratio_to_xdp_drop"],
            lb.Select(kv => kv.Key));
        Assert.Equal("sink", (string?)lb["source"]); // a file from before the interfaces were read
        Assert.Equal("xdp_tx", (string?)lb["baseline"]);
        Assert.Equal(0.5, (double?)lb["ratio_to_baseline"]);
        Assert.Equal("lb", (string?)lb["name"]);
        Assert.Equal("forwarder", (string?)lb["kind"]);
        Assert.Equal("kernel", (string?)cases[0]!["kind"]);
        Assert.Equal(1000000, (int?)lb["flows"]);
        Assert.Equal(1.0, (double?)lb["median_mpps"]);
        Assert.Equal(0.9, (double?)lb["min_mpps"]);
        Assert.Equal(1.2, (double?)lb["max_mpps"]);
        Assert.Equal(0.5, (double?)lb["ratio_to_xdp_tx"]);
        Assert.Equal(0.25, (double?)lb["ratio_to_xdp_drop"]);
        JsonArray windows = lb["windows"]!.AsArray();
        Assert.Equal(3, windows.Count);
        Assert.Equal(900000UL, (ulong?)windows[0]!["packets"]);
        Assert.Equal(1.0, (double?)windows[0]!["seconds"]);
        Assert.Equal(0.9, (double?)windows[0]!["mpps"]);
        Assert.Null(cases[1]!["ratio_to_xdp_tx"]);
        Assert.Null(cases[1]!["offered_mpps"]);
        Assert.Equal("/tmp/bdn", (string?)json["micro_source"]);
        Assert.Equal(15.65, (double?)json["micro"]![0]!["mean_ns"]);
    }

    [Fact]
    public void Table_has_a_row_per_case_with_median_range_and_ratio()
    {
        string[] rows = Sample().ToTable().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.StartsWith("case", rows[0]);
        Assert.Equal(4, rows.Length);
        Assert.Matches(@"^lb +1000000 +1000 +1 +1\.000 +\[0\.900 - 1\.200\] +0\.50 XDP_TX +\? +1\.000  0\.900 1\.200 1\.000$", rows[3]);
    }
}
