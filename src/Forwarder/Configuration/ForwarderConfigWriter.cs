using System.Globalization;
using System.Net;
using System.Text;
namespace Forwarder.Configuration;

/// <summary>
/// Writes a configuration back as YAML with every setting spelled out, defaults included: what the
/// forwarder actually runs with. Loading the output gives the same configuration.
/// </summary>
public static class ForwarderConfigWriter
{
    public static string Write(ForwarderConfig config)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine("interface:");
        yaml.AppendLine($"  name: {Quoted(config.Interface.Name)}");
        yaml.AppendLine($"  queues: {Numbers(config.Interface.Queues)}");
        yaml.AppendLine($"  cores: {Numbers(config.Interface.Cores)}");
        yaml.AppendLine($"  xdp_mode: {ConfigNames.Of(ConfigNames.XdpModes, config.Interface.XdpMode)}");
        if (config.Interface.Mtu is { } interfaceMtu)
            yaml.AppendLine($"  mtu: {interfaceMtu}");
        yaml.AppendLine($"router_mac: {Mac(config.RouterMac.GetAddressBytes())}");
        yaml.AppendLine($"mtu: {config.Mtu}");
        yaml.AppendLine("gue:");
        yaml.AppendLine($"  port: {config.Gue.Port}");
        if (config.Gue.SourceV4 is { } sourceV4)
            yaml.AppendLine($"  source_v4: {Address(sourceV4)}");
        if (config.Gue.SourceV6 is { } sourceV6)
            yaml.AppendLine($"  source_v6: {Address(sourceV6)}");
        yaml.AppendLine("limits:");
        yaml.AppendLine($"  table_memory: {ByteSize.Exact(config.Limits.TableMemory)}");
        if (config.Announce is { } announce)
            WriteAnnounce(yaml, announce);
        yaml.AppendLine(config.Vips.Count == 0 ? "vips: []" : "vips:");
        foreach (VipConfig vip in config.Vips)
            WriteVip(yaml, vip);
        return yaml.ToString();
    }

    private static void WriteAnnounce(StringBuilder yaml, AnnounceConfig announce)
    {
        yaml.AppendLine("announce:");
        yaml.AppendLine($"  liveness_device: {Quoted(announce.LivenessDevice)}");
        yaml.AppendLine($"  bird_socket: {Quoted(announce.BirdSocket)}");
        yaml.AppendLine($"  include_file: {Quoted(announce.IncludeFile)}");
        yaml.AppendLine($"  min_healthy_backends: {announce.MinHealthyBackends}");
        yaml.AppendLine($"  hold_down: {Duration.Format(announce.HoldDown)}");
        if (announce.ExpectedDigests.Count == 0)
            yaml.AppendLine("  expected_digests: {}");
        else
            yaml.AppendLine("  expected_digests:");
        foreach (KeyValuePair<string, string> digest in announce.ExpectedDigests.Entries)
            yaml.AppendLine($"    {Quoted(digest.Key)}: {Quoted(digest.Value)}");
        yaml.AppendLine($"  drain_quiet: {Duration.Format(announce.DrainQuiet)}");
        yaml.AppendLine($"  drain_max: {Duration.Format(announce.DrainMax)}");
        yaml.AppendLine($"  watchdog_stall: {Duration.Format(announce.WatchdogStall)}");
    }

    private static void WriteVip(StringBuilder yaml, VipConfig vip)
    {
        yaml.AppendLine($"  - address: {Address(vip.Address)}");
        yaml.AppendLine($"    port: {vip.Port}");
        yaml.AppendLine($"    protocol: {ConfigNames.Of(ConfigNames.Protocols, vip.Protocol)}");
        yaml.AppendLine($"    mode: {ConfigNames.Of(ConfigNames.Modes, vip.Mode)}");
        IEnumerable<string> flags = ConfigNames.Flags.Where(f => vip.Flags.HasFlag(f.Value)).Select(f => f.Name);
        yaml.AppendLine($"    flags: [{string.Join(", ", flags)}]");
        yaml.AppendLine($"    flow_table: {ConfigNames.Of(ConfigNames.FlowTableUses, vip.FlowTable)}");
        if (vip.AllowedSources is { } sources)
            yaml.AppendLine($"    allowed_sources: [{string.Join(", ", sources.Select(s => Quoted(s.ToString())))}]");
        if (vip.Quic)
            yaml.AppendLine("    quic: true");
        yaml.AppendLine("    maglev:");
        yaml.AppendLine($"      version: {ConfigNames.Of(ConfigNames.MaglevVersions, vip.Maglev.Version)}");
        yaml.AppendLine($"      ring_size: {vip.Maglev.RingSize}");
        yaml.AppendLine(vip.Backends.Count == 0 ? "    backends: []" : "    backends:");
        foreach (BackendConfig backend in vip.Backends)
        {
            yaml.AppendLine($"      - address: {Address(backend.Address)}");
            yaml.AppendLine($"        weight: {backend.Weight}");
            if (backend.Mac is { } mac)
                yaml.AppendLine($"        mac: {Mac(mac.GetAddressBytes())}");
            if (backend.Port is { } port)
                yaml.AppendLine($"        port: {port}");
            if (backend.ServerId is { } serverId)
                yaml.AppendLine($"        server_id: {serverId}");
        }
        if (vip.HealthCheck is { } check)
        {
            yaml.AppendLine("    healthcheck:");
            yaml.AppendLine($"      type: {ConfigNames.Of(ConfigNames.HealthCheckKinds, check.Kind)}");
            if (check.Via != HealthCheckVia.Backend)
                yaml.AppendLine($"      via: {ConfigNames.Of(ConfigNames.HealthCheckVias, check.Via)}");
            if (check.Port is { } port)
                yaml.AppendLine($"      port: {port}");
            if (check.Path is { } path)
                yaml.AppendLine($"      path: {Quoted(path)}");
            yaml.AppendLine($"      interval_ms: {Milliseconds(check.Interval)}");
            yaml.AppendLine($"      timeout_ms: {Milliseconds(check.Timeout)}");
            yaml.AppendLine($"      rise: {check.Rise}");
            yaml.AppendLine($"      fall: {check.Fall}");
            if (check.ExpectStatus is { } status)
                yaml.AppendLine($"      expect_status: {status}");
        }
    }

    private static string Numbers(IEnumerable<int> numbers) => $"[{string.Join(", ", numbers)}]";

    // Quoted so that an IPv6 address such as "::1" can never be taken for YAML syntax.
    private static string Address(IPAddress address) => $"\"{address}\"";

    private static string Mac(byte[] mac) => $"\"{MacAddress.Format(mac)}\"";

    private static string Milliseconds(TimeSpan span) => ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>A double-quoted YAML string.</summary>
    private static string Quoted(string text) => $"\"{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
}
