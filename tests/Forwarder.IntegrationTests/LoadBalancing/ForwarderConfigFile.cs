using System.Text;

namespace Forwarder.IntegrationTests.LoadBalancing;

/// <summary>The forwarder's YAML configuration for a <see cref="BackendPoolTopology"/>, in a temporary file deleted on dispose.</summary>
public sealed class ForwarderConfigFile : IDisposable
{
    private ForwarderConfigFile(string path, string text)
    {
        Path = path;
        Text = text;
    }

    public string Path { get; }
    public string Text { get; }

    /// <summary>lb's l0 with queues 0 and 1 on CPUs 0 and 1; the VIP's port 80/tcp (unless told otherwise) over the three backends in the topology's mode.</summary>
    /// <param name="vipSettings">More settings of the VIP, as YAML lines indented for the VIP's mapping (e.g. a healthcheck).</param>
    /// <param name="port">The VIP's port; 0 = every port.</param>
    /// <param name="protocol">The VIP's protocol: tcp, udp or any.</param>
    /// <param name="moreVips">More entries of <c>vips</c>, as YAML lines indented for the list, after the topology's VIP.</param>
    /// <param name="moreSettings">More top-level settings, as YAML lines (e.g. limits), after the VIPs.</param>
    public static ForwarderConfigFile Write(BackendPoolTopology topology, string? vipSettings = null, int port = BackendPoolTopology.VipPort, string protocol = "tcp",
        string? moreVips = null, string? moreSettings = null)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine($"""
            interface:
              name: {BackendPoolTopology.LbInterface}
              queues: [0, 1]
              cores: [0, 1]
            router_mac: {topology.RouterMac}
            """);
        if (topology.Mode == LoadBalancingMode.Gue)
        {
            yaml.AppendLine($"""
                gue:
                  source_v4: {BackendPoolTopology.LbAddress}
                """);
        }
        yaml.AppendLine($"""
            vips:
              - address: {BackendPoolTopology.Vip}
                port: {port}
                protocol: {protocol}
                mode: {topology.Mode.ConfigName()}
            """);
        if (vipSettings is not null)
            yaml.AppendLine(vipSettings.TrimEnd());
        yaml.AppendLine("    backends:");
        foreach (Backend backend in topology.Backends)
        {
            yaml.AppendLine($"      - address: {backend.Address}");
            if (topology.Mode == LoadBalancingMode.DsrL2)
                yaml.AppendLine($"        mac: {backend.Mac}");
        }
        if (moreVips is not null)
            yaml.Append(moreVips);
        if (moreSettings is not null)
            yaml.Append(moreSettings);
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{topology.Prefix}-forwarder.yaml");
        File.WriteAllText(path, yaml.ToString());
        return new ForwarderConfigFile(path, yaml.ToString());
    }

    public void Dispose() => File.Delete(Path);
}
