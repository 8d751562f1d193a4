namespace Forwarder.Maglev;

/// <summary>
/// Everything a Maglev table is a function of: the endpoints (backend id, weight, endpoint hash) in the
/// order their ids were given, the version and the ring size. Two keys are equal exactly when
/// <see cref="MaglevBuilder.Build"/> gives equal tables for them, so a table built for one serves the other.
/// </summary>
public sealed class MaglevTableKey : IEquatable<MaglevTableKey>
{
    private readonly MaglevEndpoint[] _endpoints;
    private readonly int _hashCode;

    public MaglevTableKey(MaglevEndpoint[] endpoints, MaglevVersion version, int ringSize)
    {
        _endpoints = endpoints;
        Version = version;
        RingSize = ringSize;
        var hash = new HashCode();
        hash.Add(version);
        hash.Add(ringSize);
        foreach (MaglevEndpoint endpoint in endpoints)
            hash.Add(endpoint);
        _hashCode = hash.ToHashCode();
        HasTable = endpoints.Any(e => e.Weight > 0);
    }

    public MaglevVersion Version { get; }

    public int RingSize { get; }

    public ReadOnlySpan<MaglevEndpoint> Endpoints => _endpoints;

    /// <summary>False when no endpoint has weight: there is no table (flows are dropped and counted).</summary>
    public bool HasTable { get; }

    /// <summary>The table itself, built from scratch.</summary>
    public MaglevTable? Build() => MaglevBuilder.Build(_endpoints, Version, RingSize);

    public bool Equals(MaglevTableKey? other) =>
        other is not null && (ReferenceEquals(this, other) ||
            (_hashCode == other._hashCode && Version == other.Version && RingSize == other.RingSize
             && _endpoints.AsSpan().SequenceEqual(other._endpoints)));

    public override bool Equals(object? obj) => Equals(obj as MaglevTableKey);

    public override int GetHashCode() => _hashCode;
}
