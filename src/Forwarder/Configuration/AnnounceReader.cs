using System.Text;
using System.Text.RegularExpressions;

namespace Forwarder.Configuration;

/// <summary>Reads the <c>announce</c> section (see <see cref="AnnounceConfig"/>), every value checked with a message naming what to give.</summary>
internal static partial class AnnounceReader
{
    public static AnnounceConfig? Read(ConfigNode node, string path, ConfigDiagnostics diagnostics)
    {
        if (ConfigValues.Mapping(node, path, diagnostics, "a mapping of announce settings, e.g. announce: { liveness_device: fwd0 }") is not { } mapping)
            return null;
        var reader = new ConfigMappingReader(mapping, path, diagnostics);
        int errorsBefore = diagnostics.ErrorCount;

        string? device = AnnounceConfig.DefaultLivenessDevice;
        if (reader.Optional("liveness_device") is { } deviceNode)
            device = DeviceName(deviceNode, reader.Member("liveness_device"), diagnostics);

        string? socket = AnnounceConfig.DefaultBirdSocket;
        if (reader.Optional("bird_socket") is { } socketNode)
            socket = AbsolutePath(socketNode, reader.Member("bird_socket"), diagnostics, AnnounceConfig.MaxSocketPathBytes);

        string? include = AnnounceConfig.DefaultIncludeFile;
        if (reader.Optional("include_file") is { } includeNode)
            include = AbsolutePath(includeNode, reader.Member("include_file"), diagnostics, 4095);

        long? minHealthy = 1;
        if (reader.Optional("min_healthy_backends") is { } minNode)
            minHealthy = ConfigValues.Integer(minNode, reader.Member("min_healthy_backends"), diagnostics, 1, AnnounceConfig.MaxMinHealthyBackends);

        TimeSpan? holdDown = ReadDuration(reader, "hold_down", AnnounceConfig.DefaultHoldDown, TimeSpan.Zero, AnnounceConfig.MaxDuration, diagnostics);
        TimeSpan? drainQuiet = ReadDuration(reader, "drain_quiet", AnnounceConfig.DefaultDrainQuiet, AnnounceConfig.MinDrainQuiet, AnnounceConfig.MaxDuration, diagnostics);
        TimeSpan? drainMax = ReadDuration(reader, "drain_max", AnnounceConfig.DefaultDrainMax, AnnounceConfig.MinDrainQuiet, AnnounceConfig.MaxDuration, diagnostics);
        TimeSpan? stall = ReadDuration(reader, "watchdog_stall", AnnounceConfig.DefaultWatchdogStall, AnnounceConfig.MinWatchdogStall, AnnounceConfig.MaxWatchdogStall, diagnostics);
        if (drainQuiet is { } quiet && drainMax is { } max && max < quiet)
        {
            diagnostics.Error(reader.Member("drain_max"), reader.Optional("drain_max") ?? reader.Optional("drain_quiet")!,
                $"drain_max ({Duration.Format(max)}) is shorter than drain_quiet ({Duration.Format(quiet)}); give a drain_max at least as long as drain_quiet");
        }

        EquatableDictionary? digests = EquatableDictionary.Empty;
        if (reader.Optional("expected_digests") is { } digestsNode)
            digests = Digests(digestsNode, reader.Member("expected_digests"), diagnostics);

        reader.RejectUnknownKeys();
        if (diagnostics.ErrorCount != errorsBefore)
            return null;
        return new AnnounceConfig
        {
            LivenessDevice = device!,
            BirdSocket = socket!,
            IncludeFile = include!,
            MinHealthyBackends = (int)minHealthy!.Value,
            HoldDown = holdDown!.Value,
            ExpectedDigests = digests!,
            DrainQuiet = drainQuiet!.Value,
            DrainMax = drainMax!.Value,
            WatchdogStall = stall!.Value,
        };
    }

    /// <summary>Keys of <c>expected_digests</c> that name no VIP of the file: warned about, since such a digest gates nothing.</summary>
    public static void CheckDigestVips(AnnounceConfig announce, IReadOnlyList<VipConfig> vips, ConfigNode announceNode, ConfigDiagnostics diagnostics)
    {
        var names = vips.Select(AnnounceConfig.VipName).ToHashSet(StringComparer.Ordinal);
        foreach (string vip in announce.ExpectedDigests.Entries.Select(e => e.Key).Where(k => !names.Contains(k)))
        {
            diagnostics.Warning("announce.expected_digests", announceNode,
                $"'{vip}' names no VIP of this file, so its digest gates nothing; name VIPs as forwarder status does, e.g. 10.0.0.1:80/tcp or [fd00::1]:*/any");
        }
    }

    private static TimeSpan? ReadDuration(ConfigMappingReader reader, string key, TimeSpan defaultValue, TimeSpan min, TimeSpan max, ConfigDiagnostics diagnostics)
    {
        if (reader.Optional(key) is not { } node)
            return defaultValue;
        string path = reader.Member(key);
        string expected = $"{Duration.Syntax}, from {Duration.Format(min)} to {Duration.Format(max)}";
        if (ConfigValues.Text(node, path, diagnostics, expected) is not { } text)
            return null;
        if (Duration.Parse(text) is not { } span)
        {
            diagnostics.Error(path, node, $"expected {expected}, got '{text}'");
            return null;
        }
        if (span < min || span > max)
        {
            diagnostics.Error(path, node, $"{text} is out of range; expected {expected}");
            return null;
        }
        return span;
    }

    private static string? DeviceName(ConfigNode node, string path, ConfigDiagnostics diagnostics)
    {
        const string expected = "a network device name of 1 to 15 characters a-z, 0-9, _ and -, e.g. fwd0";
        if (ConfigValues.Text(node, path, diagnostics, expected) is not { } name)
            return null;
        if (!DeviceNamePattern().IsMatch(name))
        {
            diagnostics.Error(path, node, $"'{Printable(name)}' is not a device name; expected {expected}");
            return null;
        }
        return name;
    }

    private static string? AbsolutePath(ConfigNode node, string path, ConfigDiagnostics diagnostics, int maxBytes)
    {
        string expected = $"an absolute file path of at most {maxBytes} bytes, e.g. /run/bird/bird.ctl";
        if (ConfigValues.Text(node, path, diagnostics, expected) is not { } text)
            return null;
        if (!text.StartsWith('/') || text.EndsWith('/') || text.Any(c => char.IsControl(c) || c == '"'))
        {
            diagnostics.Error(path, node, $"'{Printable(text)}' is not usable; expected {expected} (no quotes or control characters, not a directory)");
            return null;
        }
        if (Encoding.UTF8.GetByteCount(text) > maxBytes)
        {
            diagnostics.Error(path, node, $"the path is {Encoding.UTF8.GetByteCount(text)} bytes long; expected {expected}");
            return null;
        }
        return text;
    }

    private static EquatableDictionary? Digests(ConfigNode node, string path, ConfigDiagnostics diagnostics)
    {
        if (ConfigValues.Mapping(node, path, diagnostics, "a mapping of VIP to table digest, e.g. \"10.0.0.1:80/tcp\": <digest from forwarder check>") is not { } mapping)
            return null;
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        bool valid = true;
        foreach (ConfigMappingEntry entry in mapping.Entries)
        {
            string member = ConfigPath.Member(path, entry.Key.Value);
            if (entries.ContainsKey(entry.Key.Value))
            {
                diagnostics.Error(member, entry.Key, $"'{Printable(entry.Key.Value)}' is given twice; give each VIP once");
                valid = false;
                continue;
            }
            string? digest = ConfigValues.Text(entry.Value, member, diagnostics, "the VIP's table digest: 64 hex digits, as forwarder check and forwarder status print it");
            if (digest is null || !DigestPattern().IsMatch(digest))
            {
                if (digest is not null)
                    diagnostics.Error(member, entry.Value, $"'{Printable(digest)}' is not a table digest; give the 64 hex digits forwarder check and forwarder status print for this VIP");
                valid = false;
                continue;
            }
            entries[entry.Key.Value] = digest.ToLowerInvariant();
        }
        return valid ? EquatableDictionary.Of(entries) : null;
    }

    private static string Printable(string text)
    {
        string shown = new(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return shown.Length <= 80 ? shown : shown[..80] + "...";
    }

    [GeneratedRegex("^[a-z0-9_-]{1,15}$", RegexOptions.CultureInvariant)]
    private static partial Regex DeviceNamePattern();

    [GeneratedRegex("^[0-9a-fA-F]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex DigestPattern();
}
