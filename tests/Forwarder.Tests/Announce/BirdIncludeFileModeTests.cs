using System.Runtime.Versioning;
using Forwarder.Announce;
using Forwarder.Tests.Api;

namespace Forwarder.Tests.Announce;

/// <summary>BIRD, running as a user of its own, can read the include file whatever the forwarder's umask.</summary>
[SupportedOSPlatform("linux")]
[Collection(UmaskCollection.Name)]
public sealed class BirdIncludeFileModeTests
{
    [Theory]
    [InlineData(0077u)]
    [InlineData(0u)]
    public void The_file_is_0644_whatever_the_umask(uint umask)
    {
        string root = Directory.CreateTempSubdirectory("announce-").FullName;
        try
        {
            string path = Path.Combine(root, "bird-vips.conf");
            using (ProcessUmask.Set(umask))
                Assert.Null(BirdIncludeFile.Write(path, BirdIncludeFile.Render([], "fwd0")));
            Assert.Equal(BirdIncludeFile.Mode, File.GetUnixFileMode(path));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
