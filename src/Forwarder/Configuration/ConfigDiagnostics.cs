namespace Forwarder.Configuration;

/// <summary>Collects the errors and warnings found while reading one file.</summary>
internal sealed class ConfigDiagnostics
{
    private readonly List<ConfigDiagnostic> _errors = [];
    private readonly List<ConfigDiagnostic> _warnings = [];

    /// <summary>The errors in file order (by line, then column; problems with no position first).</summary>
    public IReadOnlyList<ConfigDiagnostic> Errors => InFileOrder(_errors);

    public IReadOnlyList<ConfigDiagnostic> Warnings => InFileOrder(_warnings);

    public int ErrorCount => _errors.Count;

    public void Error(string path, int line, int column, string message) => _errors.Add(new ConfigDiagnostic(path, line, column, message));

    public void Error(string path, ConfigNode at, string message) => Error(path, at.Line, at.Column, message);

    public void Warning(string path, ConfigNode at, string message) => _warnings.Add(new ConfigDiagnostic(path, at.Line, at.Column, message));

    /// <summary>Takes over everything <paramref name="other"/> found.</summary>
    public void Include(ConfigDiagnostics other)
    {
        _errors.AddRange(other._errors);
        _warnings.AddRange(other._warnings);
    }

    /// <summary>Takes over warnings found earlier (a VIP's, when its reading is reused).</summary>
    public void IncludeWarnings(IEnumerable<ConfigDiagnostic> warnings) => _warnings.AddRange(warnings);

    private static ConfigDiagnostic[] InFileOrder(List<ConfigDiagnostic> diagnostics) =>
        diagnostics.OrderBy(d => d.Line).ThenBy(d => d.Column).ToArray();
}
