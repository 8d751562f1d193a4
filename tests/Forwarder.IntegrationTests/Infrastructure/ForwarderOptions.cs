namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>The arguments of `forwarder run`.</summary>
public sealed record ForwarderOptions(string Interface, string NextHopMac, IReadOnlyList<string> Vips)
{
    public string Queues { get; init; } = "0,1";
    public string Cores { get; init; } = "0,1";
    public string? XdpMode { get; init; }
    public int? StatsIntervalSeconds { get; init; }

    /// <summary>Further options, passed as they are.</summary>
    public IReadOnlyList<string> Extra { get; init; } = [];

    public IEnumerable<string> ToArguments()
    {
        yield return "run";
        yield return "--iface";
        yield return Interface;
        yield return "--queues";
        yield return Queues;
        yield return "--cores";
        yield return Cores;
        foreach (string vip in Vips)
        {
            yield return "--vip";
            yield return vip;
        }
        yield return "--next-hop-mac";
        yield return NextHopMac;
        if (XdpMode is not null)
        {
            yield return "--xdp-mode";
            yield return XdpMode;
        }
        if (StatsIntervalSeconds is { } seconds)
        {
            yield return "--stats-interval";
            yield return seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        foreach (string option in Extra)
            yield return option;
    }
}
