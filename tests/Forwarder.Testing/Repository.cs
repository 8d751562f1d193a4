using System.Runtime.CompilerServices;

namespace Forwarder.Testing;

/// <summary>The checkout the tests run from: the directory holding Forwarder.sln.</summary>
public static class Repository
{
    /// <summary>
    /// Above the test binaries, or (built elsewhere, e.g. with --artifacts-path) above this source file.
    /// </summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path inside the checkout, e.g. <c>Repository.File("docs", "operations.md")</c>.</summary>
    public static string File(params string[] relative) => Path.Combine([Root, .. relative]);

    private static string FindRoot([CallerFilePath] string sourceFile = "") =>
        Above(AppContext.BaseDirectory) ?? Above(Path.GetDirectoryName(sourceFile))
            ?? throw new InvalidOperationException($"Forwarder.sln not found above {AppContext.BaseDirectory} or {sourceFile}");

    private static string? Above(string? directory)
    {
        while (directory is not null && !System.IO.File.Exists(Path.Combine(directory, "Forwarder.sln")))
            directory = Path.GetDirectoryName(directory);
        return directory;
    }
}
