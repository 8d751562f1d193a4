namespace BenchReport;

/// <summary>Median, minimum and maximum of a case's window rates.</summary>
public sealed record RateStats(double Median, double Min, double Max, int Count)
{
    /// <summary>Summarises <paramref name="values"/>; the median of an even count is the mean of the two middle values.</summary>
    public static RateStats Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
            throw new ArgumentException("no values to summarise", nameof(values));
        double[] sorted = [.. values.Order()];
        int middle = sorted.Length / 2;
        double median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new RateStats(median, sorted[0], sorted[^1], sorted.Length);
    }

    /// <summary><paramref name="value"/> / <paramref name="baseline"/>, or null when there is no usable baseline.</summary>
    public static double? Ratio(double value, double? baseline) =>
        baseline is { } b && b > 0 && double.IsFinite(b) ? value / b : null;
}
