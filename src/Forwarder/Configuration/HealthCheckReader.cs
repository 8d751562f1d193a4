namespace Forwarder.Configuration;

/// <summary>Reads a VIP's optional <c>healthcheck</c> section.</summary>
internal static class HealthCheckReader
{
    /// <param name="probePortKnown">Whether the VIP gives every backend a port to probe (a VIP port, or nat backend ports).</param>
    public static HealthCheckConfig? Read(ConfigNode node, string path, bool probePortKnown, ConfigDiagnostics diagnostics)
    {
        if (ConfigValues.Mapping(node, path, diagnostics) is not { } mapping)
            return null;
        var reader = new ConfigMappingReader(mapping, path, diagnostics);
        int errorsBefore = diagnostics.ErrorCount;

        HealthCheckKind? kind = HealthCheckKind.Tcp;
        if (reader.Optional("type") is { } typeNode)
            kind = ConfigValues.Choice(typeNode, reader.Member("type"), diagnostics, ConfigNames.HealthCheckKinds);

        HealthCheckVia? via = HealthCheckVia.Backend;
        if (reader.Optional("via") is { } viaNode)
            via = ConfigValues.Choice(viaNode, reader.Member("via"), diagnostics, ConfigNames.HealthCheckVias);

        ushort? port = null;
        if (reader.Optional("port") is { } portNode)
            port = ConfigValues.Port(portNode, reader.Member("port"), diagnostics, min: 1);
        else if (!probePortKnown)
            diagnostics.Error(reader.Member("port"), mapping, "missing; this VIP serves every port (port 0), so give the port to probe");

        string? httpPath = null;
        if (reader.Optional("path") is { } pathNode)
        {
            httpPath = ConfigValues.Text(pathNode, reader.Member("path"), diagnostics, "an HTTP path like /healthz");
            if (kind is HealthCheckKind.Tcp)
                diagnostics.Error(reader.Member("path"), pathNode, "a path is used only by type: http");
            else if (httpPath is not null && (!httpPath.StartsWith('/') || httpPath.Any(char.IsWhiteSpace)))
                diagnostics.Error(reader.Member("path"), pathNode, $"'{httpPath}' is not an HTTP path; it starts with '/' and has no spaces, e.g. /healthz");
        }
        else if (kind is HealthCheckKind.Http)
        {
            httpPath = "/";
        }

        int? expectStatus = null;
        if (reader.Optional("expect_status") is { } statusNode)
        {
            expectStatus = (int?)ConfigValues.Integer(statusNode, reader.Member("expect_status"), diagnostics, HealthCheckConfig.MinStatus, HealthCheckConfig.MaxStatus);
            if (kind is HealthCheckKind.Tcp)
                diagnostics.Error(reader.Member("expect_status"), statusNode, "an expected status is used only by type: http");
        }

        TimeSpan? interval = HealthCheckConfig.DefaultInterval;
        ConfigNode? intervalNode = reader.Optional("interval_ms");
        if (intervalNode is not null)
            interval = Milliseconds(intervalNode, reader.Member("interval_ms"), HealthCheckConfig.MinInterval, HealthCheckConfig.MaxInterval, diagnostics);

        // By default a probe may take the default timeout, or the whole interval when that is shorter.
        TimeSpan? timeout = interval is { } i && i < HealthCheckConfig.DefaultTimeout ? i : HealthCheckConfig.DefaultTimeout;
        if (reader.Optional("timeout_ms") is { } timeoutNode)
        {
            timeout = Milliseconds(timeoutNode, reader.Member("timeout_ms"), HealthCheckConfig.MinTimeout, HealthCheckConfig.MaxInterval, diagnostics);
            if (timeout > interval)
            {
                string given = $"{timeout.Value.TotalMilliseconds} ms is longer than";
                diagnostics.Error(reader.Member("timeout_ms"), timeoutNode, intervalNode is null
                    ? $"{given} the default interval_ms ({interval.Value.TotalMilliseconds} ms); a probe must end before the next starts, so give a longer interval_ms too"
                    : $"{given} interval_ms ({interval.Value.TotalMilliseconds} ms); a probe must end before the next starts");
            }
        }

        int? rise = Count(reader, "rise", HealthCheckConfig.DefaultRise, diagnostics);
        int? fall = Count(reader, "fall", HealthCheckConfig.DefaultFall, diagnostics);

        reader.RejectUnknownKeys();
        if (diagnostics.ErrorCount != errorsBefore)
            return null;
        return new HealthCheckConfig
        {
            Kind = kind!.Value,
            Via = via!.Value,
            Port = port,
            Path = httpPath,
            ExpectStatus = expectStatus,
            Interval = interval!.Value,
            Timeout = timeout!.Value,
            Rise = rise!.Value,
            Fall = fall!.Value,
        };
    }

    /// <summary>A count of consecutive probe results (<c>rise</c>, <c>fall</c>).</summary>
    private static int? Count(ConfigMappingReader reader, string key, int defaultValue, ConfigDiagnostics diagnostics) =>
        reader.Optional(key) is { } node
            ? (int?)ConfigValues.Integer(node, reader.Member(key), diagnostics, HealthCheckConfig.MinCount, HealthCheckConfig.MaxCount)
            : defaultValue;

    private static TimeSpan? Milliseconds(ConfigNode node, string path, TimeSpan min, TimeSpan max, ConfigDiagnostics diagnostics) =>
        ConfigValues.Integer(node, path, diagnostics, (long)min.TotalMilliseconds, (long)max.TotalMilliseconds) is { } ms
            ? TimeSpan.FromMilliseconds(ms)
            : null;
}
