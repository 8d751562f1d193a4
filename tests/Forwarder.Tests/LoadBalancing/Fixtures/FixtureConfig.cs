namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>Which configuration a fixture runs under.</summary>
internal enum FixtureConfig
{
    /// <summary><see cref="LoadBalancerConfigs.All"/>: one VIP per mode and family, plus VIPs that drop.</summary>
    All,

    /// <summary><see cref="FixtureConfigs.ExtendedYaml"/>: the same VIPs at the same indices, then more.</summary>
    Extended,
}
