namespace Forwarder.IntegrationTests.LoadBalancing;

public static class LoadBalancingModeNames
{
    /// <summary>The mode as the configuration file spells it.</summary>
    public static string ConfigName(this LoadBalancingMode mode) => mode switch
    {
        LoadBalancingMode.Ipip => "ipip",
        LoadBalancingMode.DsrL2 => "dsr-l2",
        LoadBalancingMode.Nat => "nat",
        LoadBalancingMode.Gue => "gue",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>Whether backends answer the client directly rather than back through the forwarder.</summary>
    public static bool IsDirectServerReturn(this LoadBalancingMode mode) => mode != LoadBalancingMode.Nat;
}
