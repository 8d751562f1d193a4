namespace Forwarder.Configuration;

/// <summary>An immutable string → string map compared by content (so configurations holding one compare by value), keys in ordinal order.</summary>
public sealed class EquatableDictionary : IEquatable<EquatableDictionary>
{
    public static readonly EquatableDictionary Empty = new(new SortedDictionary<string, string>(StringComparer.Ordinal));

    private readonly SortedDictionary<string, string> _entries;

    private EquatableDictionary(SortedDictionary<string, string> entries) => _entries = entries;

    public static EquatableDictionary Of(IEnumerable<KeyValuePair<string, string>> entries) =>
        new(new SortedDictionary<string, string>(entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal), StringComparer.Ordinal));

    public int Count => _entries.Count;

    public IEnumerable<KeyValuePair<string, string>> Entries => _entries;

    public string? this[string key] => _entries.GetValueOrDefault(key);

    public bool Equals(EquatableDictionary? other) => other is not null && _entries.Count == other._entries.Count && _entries.SequenceEqual(other._entries);

    public override bool Equals(object? obj) => Equals(obj as EquatableDictionary);

    public override int GetHashCode() => _entries.Aggregate(_entries.Count, (hash, e) => HashCode.Combine(hash, e.Key, e.Value));
}
