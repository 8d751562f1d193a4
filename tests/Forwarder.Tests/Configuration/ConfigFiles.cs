namespace Forwarder.Tests.Configuration;

/// <summary>Paths of the files under docs/ the configuration tests read.</summary>
internal static class ConfigFiles
{
    public static string Example => Repository.File("docs", "forwarder.example.yaml");

    public static string Documentation => Repository.File("docs", "configuration.md");
}
