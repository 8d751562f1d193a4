using System.Runtime.Versioning;
using Forwarder.Configuration;

namespace Forwarder.Tests.Configuration;

/// <summary>Small configuration texts and assertions shared by the configuration tests.</summary>
[SupportedOSPlatform("linux")]
internal static class TestConfigs
{
    /// <summary>The smallest valid file: every other setting takes its default.</summary>
    public const string Minimal = """
        interface:
          name: eth0
        router_mac: 02:00:00:00:00:01
        vips:
          - address: 10.100.0.1
            backends:
              - address: 10.0.0.1
        """;

    /// <summary>Four lines ending in <c>vips:</c>: the VIPs given to <see cref="WithVips"/> start on line 5.</summary>
    public const string Prelude = """
        interface:
          name: eth0
        router_mac: 02:00:00:00:00:01
        vips:

        """;

    public static ConfigLoadResult WithVips(string vips) => ForwarderConfigLoader.Load(Prelude + vips);

    public static ForwarderConfig LoadValid(string yaml)
    {
        ConfigLoadResult result = ForwarderConfigLoader.Load(yaml);
        Assert.True(result.IsValid, "expected a valid file, got:\n" + string.Join('\n', result.Errors));
        return result.Config!;
    }

    /// <summary>Asserts the file was refused with an error at exactly this path and position whose message contains <paramref name="fragment"/>.</summary>
    public static ConfigDiagnostic AssertError(ConfigLoadResult result, string path, int line, int column, string fragment)
    {
        Assert.False(result.IsValid, "an invalid file must yield no configuration");
        Assert.Null(result.Config);
        ConfigDiagnostic? match = result.Errors.FirstOrDefault(e => e.Path == path && e.Line == line && e.Column == column && e.Message.Contains(fragment, StringComparison.Ordinal));
        Assert.True(match is not null, $"expected an error at {path} (line {line}, col {column}) containing \"{fragment}\"; got:\n{string.Join('\n', result.Errors)}");
        return match!;
    }

    /// <summary>Asserts the file was refused with exactly one error, as <see cref="AssertError"/> describes it.</summary>
    public static ConfigDiagnostic AssertOnlyError(ConfigLoadResult result, string path, int line, int column, string fragment)
    {
        ConfigDiagnostic error = AssertError(result, path, line, column, fragment);
        Assert.True(result.Errors.Count == 1, $"expected one error; got:\n{string.Join('\n', result.Errors)}");
        return error;
    }
}
