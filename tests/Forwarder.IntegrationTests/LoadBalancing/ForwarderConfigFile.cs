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
    /// <param name="vip">More settings of the VIP (e.g. a health check), before its backends are added.</param>
    /// <param name="port">The VIP's port; 0 = every port.</param>
    /// <param name="protocol">The VIP's protocol: tcp, udp or any.</param>
    /// <param name="moreVips">More entries of <c>vips</c>, as YAML lines indented for the list, after the topology's VIP.</param>
    /// <param name="moreSettings">More top-level settings, as YAML lines (e.g. limits).</param>
    public static ForwarderConfigFile Write(BackendPoolTopology topology, Action<VipBuilder>? vip = null, int port = BackendPoolTopology.VipPort, string protocol = "tcp",
        string? moreVips = null, string? moreSettings = null)
    {
        ConfigBuilder config = ConfigBuilder.WithoutVips()
            .Interface(BackendPoolTopology.LbInterface, queues: [0, 1], cores: [0, 1])
            .RouterMac(topology.RouterMac);
        if (topology.Mode == LoadBalancingMode.Gue)
            config.Gue(sourceV4: $"{BackendPoolTopology.LbAddress}");
        config.Vip($"{BackendPoolTopology.Vip}", port, protocol, entry =>
        {
            entry.Mode(topology.Mode.ConfigName());
            vip?.Invoke(entry);
            foreach (Backend backend in topology.Backends)
                entry.Backend($"{backend.Address}", mac: topology.Mode == LoadBalancingMode.DsrL2 ? backend.Mac : null);
        });
        if (moreSettings is not null)
            config.Setting(moreSettings);
        string text = config.ToYaml() + moreVips;
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{topology.Prefix}-forwarder.yaml");
        File.WriteAllText(path, text);
        return new ForwarderConfigFile(path, text);
    }

    public void Dispose() => File.Delete(Path);
}
