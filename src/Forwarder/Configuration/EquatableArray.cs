using System.Collections.Immutable;

namespace Forwarder.Configuration;

/// <summary>Creates <see cref="EquatableArray{T}"/>s, also from collection expressions (<c>[0, 1]</c>).</summary>
public static class EquatableArray
{
    public static EquatableArray<T> Create<T>(ReadOnlySpan<T> items) => new(ImmutableArray.Create(items));

    public static EquatableArray<T> ToEquatableArray<T>(this IEnumerable<T> items) => new(items.ToImmutableArray());
}
