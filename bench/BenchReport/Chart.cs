using System.Diagnostics;
using System.Globalization;

namespace BenchReport;

/// <summary>
/// The PNG chart: Mpps per case (median bar, min–max error bar), kernel baselines, forwarding, load balancing and
/// the receive-only lbrx and its C reference crx each in their own colour; above each bar but the kernel's its ratio
/// to its kernel baseline.
/// </summary>
public static class Chart
{
    /// <summary>The data file: one row a measured case, "name median min max colour ratio-label".</summary>
    public static string Data(Report report)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine("# case median_mpps min_mpps max_mpps colour ratio_to_baseline");
        foreach (CaseResult c in report.Cases)
        {
            if (c.Stats is not { } s)
                continue;
            string colour = c.Run.IsKernel ? "0x7f7f7f" : CaseInfo.IsCReference(c.Name) ? "0x8c564b" : c.Name == "lbrx" ? "0xff7f0e" : c.Name.StartsWith("lb", StringComparison.Ordinal) ? "0x1f77b4" : "0x2ca02c";
            string ratio = c.RatioToBaseline is { } r ? FormattableString.Invariant($"{r:F2}x {(c.Baseline == Baseline.XdpDrop ? "DROP" : "TX")}") : "";
            w.WriteLine(FormattableString.Invariant($"\"{c.Name}\" {s.Median:F4} {s.Min:F4} {s.Max:F4} {colour} \"{ratio}\""));
        }
        return w.ToString();
    }

    public static string Script(Report report, string dataPath, string pngPath)
    {
        string title = $"Forwarder, 64-byte UDP over veth: Mpps per case (median, min-max), {report.Run.MetaOr("host", "?")} {report.Run.MetaOr("date", "")}";
        return string.Join('\n',
            "set terminal pngcairo size 1100,600 font 'sans,10' noenhanced",
            $"set output {Quote(pngPath)}",
            $"set title {Quote(title)}",
            "set ylabel 'Mpps (counted by the receiving interface)'",
            "set yrange [0:*]",
            "set style fill solid 0.85 border -1",
            "set boxwidth 0.7",
            "set grid ytics",
            "set xtics rotate by -30 nomirror",
            "set key off",
            "set xlabel \"grey: kernel XDP baselines (same run); green: forwarder L2 forward; blue: load balancing (ipip)\\n" +
                "orange: lbrx, load balancing without TX; brown: crx, a blind C AF_XDP receiver in lbrx's place\\n" +
                "bars: median, whiskers: min-max, counted by the interfaces; above each bar: median, and the ratio to the same run's kernel XDP TX (lbrx, crx: XDP DROP)\"",
            "set offsets 0.5, 0.5, graph 0.14, 0",
            $"plot {Quote(dataPath)} using 0:2:5:xtic(1) with boxes lc rgb variable, \\",
            $"     '' using 0:2:3:4 with yerrorbars lc rgb 'black' pt -1, \\",
            $"     '' using 0:4:(sprintf('%.2f', $2)) with labels offset 0,0.8, \\",
            $"     '' using 0:4:6 with labels offset 0,1.8 font ',8'",
            "");
    }

    private static string Quote(string s) => "'" + s.Replace("'", "''") + "'";

    /// <summary>Writes DATA and GP next to PNG and runs gnuplot; returns an error message or null.</summary>
    public static string? Render(Report report, string pngPath)
    {
        string stem = Path.ChangeExtension(pngPath, null);
        string dataPath = stem + ".dat", scriptPath = stem + ".gp";
        File.WriteAllText(dataPath, Data(report));
        File.WriteAllText(scriptPath, Script(report, dataPath, pngPath));
        try
        {
            using Process? gnuplot = Process.Start(new ProcessStartInfo("gnuplot", [scriptPath]) { RedirectStandardError = true });
            if (gnuplot is null)
                return "gnuplot did not start";
            string errors = gnuplot.StandardError.ReadToEnd();
            gnuplot.WaitForExit();
            return gnuplot.ExitCode == 0 ? null : $"gnuplot failed ({gnuplot.ExitCode}): {errors.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"gnuplot not available ({e.Message}): install gnuplot-nox";
        }
    }
}
