using System.Text;

namespace Forwarder.Testing;

/// <summary>
/// Writes the forwarder's YAML configuration for tests: a named starting point (<see cref="Standard"/>,
/// <see cref="WithoutVips"/>) plus edits — interface, router MAC, MTU, GUE sources, VIPs with their
/// backends, modes, Maglev and health-check settings, and any other top-level setting (e.g. limits).
/// Keys are written in the order the documentation lists them, two spaces per level.
/// </summary>
public sealed class ConfigBuilder
{
    /// <summary>The router MAC most tests use.</summary>
    public const string DefaultRouterMac = "02:00:00:00:00:01";

    /// <summary>The VIP of <see cref="Standard"/>.</summary>
    public const string StandardVip = "10.100.0.1";

    private readonly List<VipBuilder> _vips = [];
    private readonly List<string> _settings = [];
    private string _interface = "eth0";
    private int[]? _queues;
    private int[]? _cores;
    private string _routerMac = DefaultRouterMac;
    private int? _mtu;
    private string? _gueSourceV4;
    private string? _gueSourceV6;

    private ConfigBuilder()
    {
    }

    /// <summary>eth0, router MAC <see cref="DefaultRouterMac"/>, no VIP yet.</summary>
    public static ConfigBuilder WithoutVips() => new();

    /// <summary>
    /// The configuration most tests start from: eth0, router MAC <see cref="DefaultRouterMac"/>, one VIP
    /// <see cref="StandardVip"/>:80/tcp (ipip by default) over 10.0.0.1, 10.0.0.2 and 10.0.0.3.
    /// </summary>
    public static ConfigBuilder Standard(Action<VipBuilder>? edit = null) =>
        new ConfigBuilder().Vip(StandardVip, 80, "tcp", v =>
        {
            v.Backends("10.0.0.1", "10.0.0.2", "10.0.0.3");
            edit?.Invoke(v);
        });

    /// <summary>The interface's name, and the queues and cores it runs on (left to their defaults unless given).</summary>
    public ConfigBuilder Interface(string name, int[]? queues = null, int[]? cores = null)
    {
        _interface = name;
        _queues = queues;
        _cores = cores;
        return this;
    }

    public ConfigBuilder RouterMac(string mac) { _routerMac = mac; return this; }

    public ConfigBuilder Mtu(int mtu) { _mtu = mtu; return this; }

    /// <summary>The outer source addresses of GUE packets.</summary>
    public ConfigBuilder Gue(string? sourceV4 = null, string? sourceV6 = null)
    {
        _gueSourceV4 = sourceV4;
        _gueSourceV6 = sourceV6;
        return this;
    }

    /// <summary>
    /// A VIP: <paramref name="port"/> and <paramref name="protocol"/> are written only when given (the
    /// forwarder's defaults: every port, any protocol); <paramref name="configure"/> adds its mode and backends.
    /// </summary>
    public ConfigBuilder Vip(string address, int? port = null, string? protocol = null, Action<VipBuilder>? configure = null)
    {
        var vip = new VipBuilder(address, port, protocol);
        configure?.Invoke(vip);
        _vips.Add(vip);
        return this;
    }

    /// <summary>Changes a VIP added before (by its address, the first one with it).</summary>
    public ConfigBuilder EditVip(string address, Action<VipBuilder> edit)
    {
        edit(_vips.First(v => v.Address == address));
        return this;
    }

    /// <summary>Any other top-level setting, as YAML lines at the top level (e.g. <c>limits: { table_memory: 1MiB }</c>).</summary>
    public ConfigBuilder Setting(string yaml) { _settings.Add(yaml.TrimEnd()); return this; }

    /// <summary>The YAML text, ending in a newline (so VIP entries from <see cref="VipBuilder.ToYaml"/> can follow it).</summary>
    public string ToYaml()
    {
        var yaml = new StringBuilder();
        yaml.Append("interface:\n");
        yaml.Append($"  name: {_interface}\n");
        if (_queues is not null)
            yaml.Append($"  queues: [{string.Join(", ", _queues)}]\n");
        if (_cores is not null)
            yaml.Append($"  cores: [{string.Join(", ", _cores)}]\n");
        yaml.Append($"router_mac: {_routerMac}\n");
        if (_mtu is not null)
            yaml.Append($"mtu: {_mtu}\n");
        if (_gueSourceV4 is not null || _gueSourceV6 is not null)
        {
            yaml.Append("gue:\n");
            if (_gueSourceV4 is not null)
                yaml.Append($"  source_v4: {_gueSourceV4}\n");
            if (_gueSourceV6 is not null)
                yaml.Append($"  source_v6: {_gueSourceV6}\n");
        }
        foreach (string setting in _settings)
            yaml.Append(setting).Append('\n');
        yaml.Append(_vips.Count == 0 ? "vips: []\n" : "vips:\n");
        foreach (VipBuilder vip in _vips)
            yaml.Append(vip.ToYaml());
        return yaml.ToString();
    }

    public override string ToString() => ToYaml();

    /// <summary>Writes the YAML to <paramref name="path"/>; returns the path.</summary>
    public string WriteTo(string path)
    {
        File.WriteAllText(path, ToYaml());
        return path;
    }
}
