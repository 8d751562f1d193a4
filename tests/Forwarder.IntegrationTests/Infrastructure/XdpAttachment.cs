namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>Which XDP program, if any, `ip link` shows on a device.</summary>
public static class XdpAttachment
{
    /// <summary>The kernel keeps 15 characters of a program name: xdp_redirect_vip shows as this.</summary>
    public const string ForwarderProgramName = "xdp_redirect_vi";

    /// <summary>The `prog/xdp...` line of `ip -n NS link show dev DEVICE`, or null when nothing is attached.</summary>
    public static string? ProgramOn(NetworkNamespace ns, string device)
    {
        string output = ns.Ip("link", "show", "dev", device).Stdout;
        return output.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.StartsWith("prog/xdp", StringComparison.Ordinal));
    }

    public static string Describe(NetworkNamespace ns, string device) => ns.Ip("link", "show", "dev", device).Stdout.TrimEnd();
}
