using System.Runtime.Versioning;
using AfXdp;
using Forwarder.Hosting.Privileges;

namespace Forwarder.Tests.Hosting;

/// <summary>The descriptors a privileged predecessor hands over, written into and read from one environment variable.</summary>
[SupportedOSPlatform("linux")]
public class InheritedSetupTests
{
    [Fact]
    public void Round_trips_through_its_text()
    {
        var setup = new InheritedSetup(
            LockFd: 4,
            [new XskHandOver(5, 6, HugePages: false), new XskHandOver(7, 8, HugePages: true)],
            ProgramFd: 9,
            MapFds: new Dictionary<string, int> { ["vips"] = 10, ["xsks_map"] = 11 },
            AttachedProgramFd: 12);

        string text = setup.Format();
        InheritedSetup parsed = InheritedSetup.Parse(text);

        Assert.Equal("lock:4,queue:5:6,queue:7:8:huge,program:9,map:vips:10,map:xsks_map:11,attached:12", text);
        Assert.Equal(4, parsed.LockFd);
        Assert.Equal(setup.Queues, parsed.Queues);
        Assert.Equal(9, parsed.ProgramFd);
        Assert.Equal(setup.MapFds, parsed.MapFds);
        Assert.Equal(12, parsed.AttachedProgramFd);
        Assert.Equal([4, 5, 6, 7, 8, 9, 10, 11, 12], parsed.Descriptors());
    }

    [Fact]
    public void Carries_the_liveness_device_s_descriptor()
    {
        var setup = new InheritedSetup(4, [new XskHandOver(5, 6, HugePages: false)], 9, new Dictionary<string, int>(), LivenessFd: 13);

        InheritedSetup parsed = InheritedSetup.Parse(setup.Format());

        Assert.Equal("lock:4,queue:5:6,program:9,liveness:13", setup.Format());
        Assert.Equal(13, parsed.LivenessFd);
        Assert.Equal(-1, parsed.AttachedProgramFd);
        Assert.Equal([4, 5, 6, 9, 13], parsed.Descriptors());
        Assert.Equal(-1, InheritedSetup.Parse("lock:4,queue:5:6,program:9").LivenessFd);
    }

    [Fact]
    public void Carries_the_api_s_listening_socket()
    {
        var setup = new InheritedSetup(4, [new XskHandOver(5, 6, HugePages: false)], 9, new Dictionary<string, int>()) { UpgradeFd = 14, ApiFd = 15 };

        InheritedSetup parsed = InheritedSetup.Parse(setup.Format());

        Assert.Equal("lock:4,queue:5:6,program:9,upgrade:14,api:15", setup.Format());
        Assert.Equal(15, parsed.ApiFd);
        Assert.Equal([4, 5, 6, 9, 14, 15], parsed.Descriptors());
        Assert.Equal(-1, InheritedSetup.Parse("lock:4,queue:5:6,program:9").ApiFd);
    }

    [Theory]
    [InlineData("lock:4,queue:5:6,program:9,api:15,api:16")]
    [InlineData("lock:4,queue:5:6,program:9,api:-1")]
    [InlineData("lock:4,queue:5:6,program:9,api:x")]
    [InlineData("lock:4,queue:5:6,program:9,liveness:13,liveness:14")]
    [InlineData("lock:4,queue:5:6,program:9,liveness:-1")]
    [InlineData("lock:4,queue:5:6,program:9,liveness:")]
    [InlineData("lock:4,program:9")]
    [InlineData("lock:4,queue:5:6")]
    [InlineData("queue:5:6,program:9")]
    [InlineData("lock:4,queue:5:x,program:9")]
    [InlineData("lock:4,queue:5:6,program:9,program:10")]
    [InlineData("lock:4,lock:3,queue:5:6,program:9")]
    [InlineData("lock:4,queue:5:6,program:9,socket:3")]
    public void Refuses_what_it_did_not_write(string text) =>
        Assert.Throws<FormatException>(() => InheritedSetup.Parse(text));
}
