namespace Forwarder.Configuration;

/// <summary>Per-VIP options that change how flows are hashed. A port-0 ("any port") VIP needs no flag: its port says so.</summary>
[Flags]
public enum VipFlags
{
    None = 0,

    /// <summary>Hash every flow with source port 0, so all connections of one client reach the same backend.</summary>
    NoSourcePort = 1,
}
