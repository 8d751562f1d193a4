using Forwarder.Metrics;

namespace Forwarder.Cli;

/// <summary>One reading of <c>GET /metrics</c>, taken at <see cref="At"/>, and rates against an earlier one.</summary>
internal sealed class MetricsReading
{
    private readonly Dictionary<string, MetricSample> _bySeries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<MetricSample>> _byName = new(StringComparer.Ordinal);

    public MetricsReading(IReadOnlyList<MetricSample> samples, TimeSpan at)
    {
        At = at;
        foreach (MetricSample sample in samples)
        {
            _bySeries[Series(sample)] = sample;
            if (!_byName.TryGetValue(sample.Name, out List<MetricSample>? list))
                _byName[sample.Name] = list = [];
            list.Add(sample);
        }
    }

    public TimeSpan At { get; }

    public IReadOnlyList<MetricSample> Samples(string name) => _byName.GetValueOrDefault(name) ?? [];

    /// <summary>The value of the sample of <paramref name="name"/> whose labels include all of <paramref name="labels"/>; 0 when there is none.</summary>
    public double Value(string name, params (string Name, string Value)[] labels) =>
        Samples(name).FirstOrDefault(s => labels.All(l => s.Label(l.Name) == l.Value))?.Value ?? 0;

    /// <summary>Per second since <paramref name="earlier"/>; a counter that went back (a restart) counts from 0.</summary>
    public double Rate(MetricsReading? earlier, MetricSample sample)
    {
        if (earlier is null)
            return 0;
        double seconds = (At - earlier.At).TotalSeconds;
        if (seconds <= 0)
            return 0;
        double before = earlier._bySeries.GetValueOrDefault(Series(sample))?.Value ?? 0;
        double delta = sample.Value >= before ? sample.Value - before : sample.Value;
        return delta / seconds;
    }

    /// <summary>The rate of the sample of <paramref name="name"/> with these labels (0 when there is none).</summary>
    public double Rate(MetricsReading? earlier, string name, params (string Name, string Value)[] labels) =>
        Samples(name).FirstOrDefault(s => labels.All(l => s.Label(l.Name) == l.Value)) is { } sample ? Rate(earlier, sample) : 0;

    private static string Series(MetricSample sample) =>
        sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}";
}
