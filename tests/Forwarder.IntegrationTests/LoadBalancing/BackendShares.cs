namespace Forwarder.IntegrationTests.LoadBalancing;

/// <summary>How many connections each backend answered, and how far that is from an even split.</summary>
public sealed class BackendShares
{
    private readonly Dictionary<string, int> _counts;

    public BackendShares(IEnumerable<string> backendNames, IEnumerable<string> answeredBy)
    {
        _counts = backendNames.ToDictionary(name => name, _ => 0);
        foreach (string name in answeredBy)
            _counts[name] = _counts.GetValueOrDefault(name) + 1;
    }

    public int Total => _counts.Values.Sum();
    public double Even => (double)Total / _counts.Count;

    /// <summary>The largest relative distance of one backend's count from <see cref="Even"/> (0.1 = 10%).</summary>
    public double LargestDeviation => _counts.Values.Max(count => Math.Abs(count - Even) / Even);

    public bool AreWithin(double fraction) => Total > 0 && LargestDeviation <= fraction;

    public override string ToString() =>
        $"{string.Join(", ", _counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"))} of {Total} (even {Even:0.#}, largest deviation {LargestDeviation:P0})";
}
