using Forwarder.Maglev;

namespace Forwarder.Configuration;

/// <summary>Which Maglev fill builds a VIP's table, and its size.</summary>
public sealed record MaglevConfig
{
    public static readonly MaglevConfig Default = new();

    public MaglevVersion Version { get; init; } = MaglevVersion.V2;

    /// <summary>Slots in the table: a prime (see <see cref="MaglevRingSize"/>).</summary>
    public int RingSize { get; init; } = MaglevRingSize.Default;
}
