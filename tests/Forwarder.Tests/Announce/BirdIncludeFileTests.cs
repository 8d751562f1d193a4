using System.Runtime.Versioning;
using System.Net;
using Forwarder.Announce;

namespace Forwarder.Tests.Announce;

/// <summary>The include file: both protocols always, host routes via the liveness device, written atomically.</summary>
[SupportedOSPlatform("linux")]
public sealed class BirdIncludeFileTests
{
    [Fact]
    public void An_empty_set_renders_both_protocols_without_routes()
    {
        Assert.Equal(
            "# written by forwarder; do not edit\n" +
            "protocol static forwarder_vips4 { ipv4; }\n" +
            "protocol static forwarder_vips6 { ipv6; }\n",
            BirdIncludeFile.Render([], "fwd0"));
    }

    [Fact]
    public void Addresses_become_host_routes_of_their_family_in_a_stable_order()
    {
        IPAddress[] addresses = new[] { "10.100.0.2", "fd00:100::1", "10.100.0.1", "10.100.0.2" }.Select(IPAddress.Parse).ToArray();
        Assert.Equal(
            "# written by forwarder; do not edit\n" +
            "protocol static forwarder_vips4 { ipv4; route 10.100.0.1/32 via \"lb-0\"; route 10.100.0.2/32 via \"lb-0\"; }\n" +
            "protocol static forwarder_vips6 { ipv6; route fd00:100::1/128 via \"lb-0\"; }\n",
            BirdIncludeFile.Render(addresses, "lb-0"));
        Assert.Equal(BirdIncludeFile.Render(addresses, "lb-0"), BirdIncludeFile.Render(addresses.Reverse(), "lb-0"));
    }

    [Fact]
    public void Writing_creates_the_directory_and_replaces_the_file_whole()
    {
        string root = Directory.CreateTempSubdirectory("announce-").FullName;
        try
        {
            string path = Path.Combine(root, "run", "forwarder", "bird-vips.conf");
            Assert.Null(BirdIncludeFile.Write(path, "first\n"));
            Assert.Null(BirdIncludeFile.Write(path, "second\n"));
            Assert.Equal("second\n", BirdIncludeFile.ReadCurrent(path));
            Assert.Equal(BirdIncludeFile.Mode, File.GetUnixFileMode(path));
            Assert.Equal(["bird-vips.conf"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_file_that_cannot_be_written_is_an_error_not_an_exception()
    {
        string root = Directory.CreateTempSubdirectory("announce-").FullName;
        try
        {
            string blocker = Path.Combine(root, "not-a-directory");
            File.WriteAllText(blocker, "");
            string? error = BirdIncludeFile.Write(Path.Combine(blocker, "bird-vips.conf"), "x");
            Assert.NotNull(error);
            Assert.Contains("cannot write", error, StringComparison.Ordinal);
            Assert.Null(BirdIncludeFile.ReadCurrent(Path.Combine(blocker, "bird-vips.conf")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
