using System.Text;

namespace Forwarder.Testing;

/// <summary>One entry of <c>vips</c> for <see cref="ConfigBuilder"/>: mode, Maglev and health-check settings, backends.</summary>
public sealed class VipBuilder
{
    private readonly List<string> _backends = [];
    private string? _mode;
    private string? _maglevVersion;
    private int? _ringSize;
    private string? _healthCheck;
    private string[]? _flags;
    private string[]? _allowedSources;
    private bool _hasBackends;
    private string? _flowTable;
    private bool _quic;

    /// <summary>A VIP on its own, e.g. to append to a configuration's text (<see cref="ToYaml"/>).</summary>
    public VipBuilder(string address, int? port = null, string? protocol = null)
    {
        Address = address;
        Port = port;
        Protocol = protocol;
    }

    public string Address { get; }
    public int? Port { get; set; }
    public string? Protocol { get; set; }

    /// <summary>ipip (the default), gue, dsr-l2 or nat.</summary>
    public VipBuilder Mode(string mode) { _mode = mode; return this; }

    /// <summary>The VIP's flags, e.g. <c>no_source_port</c>.</summary>
    public VipBuilder Flags(params string[] flags) { _flags = flags; return this; }

    /// <summary>The VIP's use of the connection table: <c>remember</c> (the default) or <c>bypass</c>.</summary>
    public VipBuilder FlowTable(string use) { _flowTable = use; return this; }

    /// <summary>The VIP's <c>allowed_sources</c>, e.g. <c>10.0.0.0/8</c>; written quoted.</summary>
    public VipBuilder AllowedSources(params string[] prefixes) { _allowedSources = prefixes; return this; }

    public VipBuilder Maglev(int? ringSize = null, string? version = null)
    {
        _ringSize = ringSize;
        _maglevVersion = version;
        return this;
    }

    /// <summary>A health check: <paramref name="settings"/> are its keys as YAML flow entries, e.g. <c>interval_ms: 50, fall: 1</c>.</summary>
    public VipBuilder HealthCheck(string settings) { _healthCheck = settings; return this; }

    /// <summary>A backend; <paramref name="port"/> for nat, <paramref name="mac"/> for dsr-l2.</summary>
    public VipBuilder Backend(string address, int? port = null, string? mac = null, uint? weight = null)
    {
        var backend = new StringBuilder($"      - address: {address}\n");
        if (port is not null)
            backend.Append($"        port: {port}\n");
        if (mac is not null)
            backend.Append($"        mac: {mac}\n");
        if (weight is not null)
            backend.Append($"        weight: {weight}\n");
        _backends.Add(backend.ToString());
        _hasBackends = true;
        return this;
    }

    /// <summary>A backend of a quic VIP with the server id its connection ids carry.</summary>
    public VipBuilder QuicBackend(string address, uint serverId)
    {
        _backends.Add($"      - address: {address}\n        server_id: {serverId}\n");
        _hasBackends = true;
        return this;
    }

    /// <summary>Routes the VIP's UDP packets by their QUIC connection id (<c>quic: true</c>).</summary>
    public VipBuilder Quic() { _quic = true; return this; }

    public VipBuilder Backends(params string[] addresses)
    {
        foreach (string address in addresses)
            Backend(address);
        _hasBackends = true;
        return this;
    }

    /// <summary>Removes every backend: the VIP is written with <c>backends: []</c>.</summary>
    public VipBuilder NoBackends()
    {
        _backends.Clear();
        _hasBackends = true;
        return this;
    }

    /// <summary>The entry's YAML lines, indented for the <c>vips</c> list.</summary>
    public string ToYaml()
    {
        var yaml = new StringBuilder($"  - address: {Address}\n");
        if (Port is not null)
            yaml.Append($"    port: {Port}\n");
        if (Protocol is not null)
            yaml.Append($"    protocol: {Protocol}\n");
        if (_mode is not null)
            yaml.Append($"    mode: {_mode}\n");
        if (_flags is not null)
            yaml.Append($"    flags: [{string.Join(", ", _flags)}]\n");
        if (_flowTable is not null)
            yaml.Append($"    flow_table: {_flowTable}\n");
        if (_allowedSources is not null)
            yaml.Append($"    allowed_sources: [{string.Join(", ", _allowedSources.Select(p => $"\"{p}\""))}]\n");
        if (_quic)
            yaml.Append("    quic: true\n");
        if (_ringSize is not null || _maglevVersion is not null)
        {
            yaml.Append("    maglev:\n");
            if (_maglevVersion is not null)
                yaml.Append($"      version: {_maglevVersion}\n");
            if (_ringSize is not null)
                yaml.Append($"      ring_size: {_ringSize}\n");
        }
        if (_healthCheck is not null)
            yaml.Append($"    healthcheck: {{ {_healthCheck} }}\n");
        if (_backends.Count == 0)
            yaml.Append(_hasBackends ? "    backends: []\n" : "");
        else
            yaml.Append("    backends:\n").Append(string.Concat(_backends));
        return yaml.ToString();
    }

    public override string ToString() => ToYaml();
}
