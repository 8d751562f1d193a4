namespace Forwarder.Configuration;

/// <summary>
/// Loads the forwarder's YAML configuration file. A file is accepted or refused as a whole: the result
/// holds either the configuration or every error found, each naming the field, its line and column,
/// what is wrong and what is expected. Nothing here touches a device; the same text always gives the same result.
/// </summary>
public static class ForwarderConfigLoader
{
    /// <summary>Files larger than this are refused unread: a configuration is a few kilobytes.</summary>
    public const long MaxFileBytes = 16 << 20;

    /// <param name="yaml">The file's text.</param>
    /// <param name="availableCpus">When given, the CPUs workers may be pinned to (e.g. <c>CpuAffinity.AllowedCpus()</c>); others are errors.</param>
    public static ConfigLoadResult Load(string yaml, IReadOnlyCollection<int>? availableCpus = null)
    {
        var diagnostics = new ConfigDiagnostics();
        ConfigNode? root = ConfigYamlParser.Parse(yaml, diagnostics);
        ForwarderConfig? config = root is null ? null : ForwarderConfigReader.Read(root, diagnostics, availableCpus);
        return new ConfigLoadResult(diagnostics.ErrorCount == 0 ? config : null, diagnostics.Errors, diagnostics.Warnings);
    }

    /// <summary>Reads (with <see cref="ConfigFileText"/>) and loads the file at <paramref name="path"/>; a file that cannot be read is one error.</summary>
    public static ConfigLoadResult LoadFile(string path, IReadOnlyCollection<int>? availableCpus = null)
    {
        string text;
        try
        {
            text = ConfigFileText.Read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return Refused($"cannot read {path}: {e.Message}");
        }
        return Load(text, availableCpus);
    }

    private static ConfigLoadResult Refused(string message) => new(null, [new ConfigDiagnostic("", 0, 0, message)], []);
}
