namespace Forwarder.Configuration;

/// <summary>
/// Reads the keys of one mapping and keeps track of which were asked for, so that anything else — a
/// typo, a setting at the wrong level — is reported as an unknown key rather than silently ignored.
/// Repeated keys are reported; the first one counts.
/// </summary>
internal sealed class ConfigMappingReader
{
    /// <summary>At the top level, keys starting with this are ignored: a place for YAML anchors.</summary>
    public const string ExtensionPrefix = "x-";

    private readonly ConfigDiagnostics _diagnostics;
    private readonly Dictionary<string, ConfigMappingEntry> _entries = new(StringComparer.Ordinal);
    private readonly List<string> _asked = [];
    private readonly bool _allowExtensionKeys;

    public ConfigMappingReader(ConfigMapping mapping, string path, ConfigDiagnostics diagnostics, bool allowExtensionKeys = false)
    {
        Mapping = mapping;
        Path = path;
        _diagnostics = diagnostics;
        _allowExtensionKeys = allowExtensionKeys;
        foreach (ConfigMappingEntry entry in mapping.Entries)
        {
            if (_entries.TryGetValue(entry.Key.Value, out ConfigMappingEntry? first))
                diagnostics.Error(Member(entry.Key.Value), entry.Key, $"'{entry.Key.Value}' is given twice (first on line {first.Key.Line}); give it once");
            else
                _entries.Add(entry.Key.Value, entry);
        }
    }

    public ConfigMapping Mapping { get; }

    public string Path { get; }

    public string Member(string key) => ConfigPath.Member(Path, key);

    /// <summary>The value of <paramref name="key"/>, or <c>null</c> when the key is absent.</summary>
    public ConfigNode? Optional(string key)
    {
        _asked.Add(key);
        return _entries.TryGetValue(key, out ConfigMappingEntry? entry) ? entry.Value : null;
    }

    /// <summary>The value of <paramref name="key"/>; when absent, reports it as missing (<paramref name="expected"/> says what to give).</summary>
    public ConfigNode? Required(string key, string expected)
    {
        ConfigNode? value = Optional(key);
        if (value is null)
            _diagnostics.Error(Member(key), Mapping, $"missing; give {expected}");
        return value;
    }

    /// <summary>The key itself (for positions), or <c>null</c> when absent.</summary>
    public ConfigScalar? KeyOf(string key) => _entries.TryGetValue(key, out ConfigMappingEntry? entry) ? entry.Key : null;

    /// <summary>Reports every key that was never asked for. Call once, after reading every known key.</summary>
    public void RejectUnknownKeys()
    {
        foreach (ConfigMappingEntry entry in _entries.Values)
        {
            string key = entry.Key.Value;
            if (_asked.Contains(key, StringComparer.Ordinal) || (_allowExtensionKeys && key.StartsWith(ExtensionPrefix, StringComparison.Ordinal)))
                continue;
            string? suggestion = _asked.Select(k => (Key: k, Distance: EditDistance(k, key)))
                .Where(c => (c.Distance <= 2 && c.Distance * 2 < c.Key.Length) || (key.Length >= 4 && c.Key.StartsWith(key, StringComparison.OrdinalIgnoreCase)))
                .OrderBy(c => c.Distance).Select(c => c.Key).FirstOrDefault();
            string hint = suggestion is not null ? $"did you mean '{suggestion}'?" : $"expected one of: {string.Join(", ", _asked.Distinct())}";
            _diagnostics.Error(Member(key), entry.Key, $"unknown key '{key}'; {hint}");
        }
    }

    /// <summary>Levenshtein distance, case-insensitive: small for typos.</summary>
    private static int EditDistance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
