namespace BenchReport.Tests;

public class MicroResultsTests
{
    private static readonly string[] Table =
    [
        "```",
        "BenchmarkDotNet v0.14.0, Debian GNU/Linux 12 (bookworm)",
        "```",
        "| Method | Backends | RingSize | Mean      | Error     | Allocated  |",
        "|------- |--------- |--------- |----------:|----------:|-----------:|",
        "| **Build**  | **10**       | **65537**    |  **1.809 ms** | **0.0132 ms** |  **265.96 KB** |",
        "|        |          |          |           |           |            |",
        "| Build  | 10000    | 655373   | 30.260 ms | 1.1345 ms | 3910.09 KB |",
    ];

    [Fact]
    public void Reads_case_and_mean_from_a_github_markdown_table()
    {
        MicroResult[] rows = [.. MicroResults.ParseTable("MaglevBuildBenchmarks", Table)];

        Assert.Equal(2, rows.Length);
        Assert.Equal(new MicroResult("MaglevBuildBenchmarks", "Build 10 65537", "1.809 ms"), rows[0]);
        Assert.Equal("Build 10000 655373", rows[1].Case);
        Assert.Equal(30.26e6, rows[1].MeanNanoseconds!.Value, 3);
    }

    [Fact]
    public void A_table_without_a_mean_column_gives_nothing()
    {
        Assert.Empty(MicroResults.ParseTable("X", ["| Method | Error |", "|--|--|", "| A | 1 ns |"]));
    }

    [Theory]
    [InlineData("15.65 ns", 15.65)]
    [InlineData("1.5 μs", 1500.0)]
    [InlineData("1.5 us", 1500.0)]
    [InlineData("2 ms", 2e6)]
    [InlineData("1,234.5 ns", 1234.5)]
    public void Converts_units_to_nanoseconds(string text, double ns)
    {
        Assert.Equal(ns, MicroResults.ToNanoseconds(text)!.Value, 6);
    }

    [Theory]
    [InlineData("NA")]
    [InlineData("12 parsecs")]
    [InlineData("")]
    public void Unknown_means_have_no_nanoseconds(string text)
    {
        Assert.Null(MicroResults.ToNanoseconds(text));
    }

    [Fact]
    public void Reads_every_report_in_a_directory_named_by_its_class()
    {
        string dir = Directory.CreateTempSubdirectory("bdn").FullName;
        try
        {
            File.WriteAllLines(Path.Combine(dir, "Forwarder.Benchmarks.Maglev.MaglevBuildBenchmarks-report-github.md"), Table);
            File.WriteAllText(Path.Combine(dir, "Forwarder.Benchmarks.Maglev.MaglevBuildBenchmarks-report.csv"), "ignored");

            List<MicroResult> rows = MicroResults.ReadDirectory(dir);

            Assert.Equal(2, rows.Count);
            Assert.All(rows, r => Assert.Equal("MaglevBuildBenchmarks", r.Benchmark));
            Assert.Empty(MicroResults.ReadDirectory(Path.Combine(dir, "missing")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
