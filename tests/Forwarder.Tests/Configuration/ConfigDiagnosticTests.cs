using Forwarder.Configuration;
using System.Runtime.Versioning;

namespace Forwarder.Tests.Configuration;

/// <summary>How a diagnostic reads when printed.</summary>
[SupportedOSPlatform("linux")]
public class ConfigDiagnosticTests
{
    [Theory]
    [InlineData("vips[1].port", 7, 11, "vips[1].port (line 7, col 11): bad")]
    [InlineData("", 3, 1, "line 3, col 1: bad")]
    [InlineData("vips", 0, 0, "vips: bad")]
    [InlineData("", 0, 0, "bad")]
    public void A_diagnostic_names_what_it_knows(string path, int line, int column, string expected)
    {
        Assert.Equal(expected, new ConfigDiagnostic(path, line, column, "bad").ToString());
    }
}
