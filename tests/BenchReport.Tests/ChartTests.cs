namespace BenchReport.Tests;

public class ChartTests
{
    [Fact]
    public void Data_has_a_row_per_measured_case_with_kernel_cases_in_their_own_colour()
    {
        Report report = Report.Build(BenchRun.Parse(
        [
            "case\ttx\t-\t-\t1\t99",
            "window\ttx\tRUN 1 seconds=1 start=0 end=3800000",
            "case\tfwd\t-\t-\t1\t99",
            "case\tlb\t-\t3\t1\t99",
            "window\tlb\tRUN 1 seconds=1 start=0 end=700000",
        ]));

        string[] rows = [.. Chart.Data(report).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#'))];

        Assert.Equal(["\"tx\" 3.8000 3.8000 3.8000 0x7f7f7f \"\"", "\"lb\" 0.7000 0.7000 0.7000 0x1f77b4 \"0.18x TX\""], rows);
    }

    [Fact]
    public void Script_writes_the_png_from_the_data_file()
    {
        Report report = Report.Build(BenchRun.Parse(["meta\thost\tbox"]));

        string script = Chart.Script(report, "/r/x.dat", "/r/it's.png");

        Assert.Contains("set terminal pngcairo", script);
        Assert.Contains("set output '/r/it''s.png'", script);
        Assert.Contains("plot '/r/x.dat'", script);
    }
}
