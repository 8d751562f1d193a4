using System.Runtime.Versioning;
using Forwarder.Liveness;

namespace Forwarder.Tests.Liveness;

/// <summary>A descriptor named as the liveness device in FORWARDER_INHERITED_FDS that is no TUN device is refused, never used.</summary>
[SupportedOSPlatform("linux")]
public sealed class LivenessDeviceAdoptTests
{
    [Fact]
    public void A_descriptor_that_is_no_tun_device_is_refused_with_its_number()
    {
        using FileStream file = File.OpenRead("/proc/self/status");
        int fd = (int)file.SafeFileHandle.DangerousGetHandle();

        var refused = Assert.Throws<InvalidOperationException>(() => LivenessDevice.Adopt(fd, "fwd0"));

        Assert.Equal($"inherited liveness descriptor {fd} is not a TUN device (Inappropriate ioctl for device)", refused.Message);
    }

    [Fact]
    public void A_closed_descriptor_is_refused()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => LivenessDevice.Adopt(999_999, "fwd0"));
        Assert.StartsWith("inherited liveness descriptor 999999 is not a TUN device", refused.Message);
    }
}
