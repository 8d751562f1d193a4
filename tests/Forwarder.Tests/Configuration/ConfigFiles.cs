using System.Runtime.CompilerServices;

namespace Forwarder.Tests.Configuration;

/// <summary>Paths of the files under docs/, found from this source file's location.</summary>
internal static class ConfigFiles
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Example => Path.Combine(RepositoryRoot, "docs", "forwarder.example.yaml");

    public static string Documentation => Path.Combine(RepositoryRoot, "docs", "configuration.md");

    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        // tests/Forwarder.Tests/Configuration/ConfigFiles.cs → the repository is three levels up.
        DirectoryInfo? directory = new FileInfo(sourceFile).Directory;
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Forwarder.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException($"no Forwarder.sln above {sourceFile}");
    }
}
