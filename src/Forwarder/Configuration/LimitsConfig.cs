namespace Forwarder.Configuration;

/// <summary>The <c>limits</c> section: bounds a configuration must stay within to be accepted.</summary>
public sealed record LimitsConfig
{
    public const long DefaultTableMemory = 1L << 30;

    /// <summary>Smallest <see cref="TableMemory"/> accepted: one VIP of the default ring size fits in far less.</summary>
    public const long MinTableMemory = 1L << 20;

    public const long MaxTableMemory = 1L << 40;

    public static readonly LimitsConfig Default = new();

    /// <summary>Most memory the forwarding tables may need (<see cref="TableMemory"/>'s estimate); a configuration needing more is refused.</summary>
    public long TableMemory { get; init; } = DefaultTableMemory;
}
