namespace TrafficGen.Sink;

/// <summary>Median, minimum and maximum of a set of rates (packets per second).</summary>
public sealed record RateSummary(IReadOnlyList<double> Rates)
{
    public double Median
    {
        get
        {
            double[] sorted = [.. Rates.Order()];
            int middle = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }

    public double Min => Rates.Min();

    public double Max => Rates.Max();

    /// <summary>The line bench/e2e.sh parses: <c>RESULT median_mpps=… min_mpps=… max_mpps=… runs_mpps=a,b,c</c>.</summary>
    public override string ToString() =>
        $"RESULT median_mpps={Median / 1e6:F3} min_mpps={Min / 1e6:F3} max_mpps={Max / 1e6:F3} runs_mpps={string.Join(',', Rates.Select(r => (r / 1e6).ToString("F3")))}";
}
