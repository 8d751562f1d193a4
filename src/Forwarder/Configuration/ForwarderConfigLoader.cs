using System.Runtime.CompilerServices;

namespace Forwarder.Configuration;

/// <summary>
/// Loads the forwarder's YAML configuration file. A file is accepted or refused as a whole: the result
/// holds either the configuration or every error found, each naming the field, its line and column,
/// what is wrong and what is expected. Nothing here touches a device; the same text always gives the same result.
/// </summary>
public static class ForwarderConfigLoader
{
    /// <summary>Files larger than this are refused unread: a configuration is a few kilobytes.</summary>
    public const long MaxFileBytes = 16 << 20;

    /// <param name="yaml">The file's text.</param>
    /// <param name="availableCpus">When given, the CPUs workers may be pinned to (e.g. <c>CpuAffinity.AllowedCpus()</c>); others are errors.</param>
    /// <summary>What reading each configuration this loader accepted found about its VIPs, for as long as the configuration lives.</summary>
    private static readonly ConditionalWeakTable<ForwarderConfig, LoadedVips> Readings = new();

    public static ConfigLoadResult Load(string yaml, IReadOnlyCollection<int>? availableCpus = null)
    {
        var diagnostics = new ConfigDiagnostics();
        ConfigNode? root = ConfigYamlParser.Parse(yaml, diagnostics);
        LoadedVips? loadedVips = null;
        ForwarderConfig? config = root is null ? null : ForwarderConfigReader.Read(root, diagnostics, availableCpus, out loadedVips);
        return Result(config, loadedVips, diagnostics);
    }

    /// <summary>
    /// Validates <paramref name="edited"/>, an edit of <paramref name="current"/> (an API change), exactly as the file
    /// written from it would be validated (<see cref="ForwarderConfigWriter"/>, then <see cref="Load"/>), without
    /// reading all of it again when the edit only changed VIPs in place: every VIP the edit left alone keeps its
    /// earlier reading, each changed VIP is written out and read alone at its place in the list, and the checks
    /// across VIPs run over all of them. With 3,000 VIPs that is a few milliseconds instead of reading a megabyte
    /// of YAML. An edit that adds, removes or moves VIPs, or touches anything else, is validated whole. Positions
    /// in messages about VIPs the edit left alone are those of the file the running configuration was read from.
    /// </summary>
    public static ConfigLoadResult LoadEdit(ForwarderConfig current, ForwarderConfig edited)
    {
        if (!Readings.TryGetValue(current, out LoadedVips? previous) || !OnlyVipsChangedInPlace(current, edited))
            return Load(ForwarderConfigWriter.Write(edited));

        var diagnostics = new ConfigDiagnostics();
        var readings = new List<VipAsRead>(edited.Vips.Count);
        for (int i = 0; i < edited.Vips.Count; i++)
        {
            VipConfig vip = edited.Vips[i];
            VipAsRead? reading;
            if (vip == current.Vips[i])
            {
                reading = previous.Readings[i];
                diagnostics.IncludeWarnings(reading.Warnings);
            }
            else
            {
                reading = ReadAlone(edited, i, diagnostics);
            }
            if (reading is not null)
                readings.Add(reading);
        }
        if (diagnostics.ErrorCount == 0)
            ForwarderConfigReader.CheckAcrossVips(readings.Select(r => r.Vip).ToList(), edited.Limits, previous.VipsNode, diagnostics);
        return Result(diagnostics.ErrorCount == 0 ? edited : null, new LoadedVips(previous.VipsNode, readings), diagnostics);
    }

    /// <summary>Reads (with <see cref="ConfigFileText"/>) and loads the file at <paramref name="path"/>; a file that cannot be read is one error.</summary>
    public static ConfigLoadResult LoadFile(string path, IReadOnlyCollection<int>? availableCpus = null)
    {
        string text;
        try
        {
            text = ConfigFileText.Read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return Refused($"cannot read {path}: {e.Message}");
        }
        return Load(text, availableCpus);
    }

    /// <summary>Same settings besides the VIPs, and the same number of VIPs, each where it was (at least one).</summary>
    private static bool OnlyVipsChangedInPlace(ForwarderConfig current, ForwarderConfig edited)
    {
        if (edited.Vips.Count == 0 || edited.Vips.Count != current.Vips.Count || (edited with { Vips = current.Vips }) != current)
            return false;
        for (int i = 0; i < edited.Vips.Count; i++)
        {
            VipConfig a = current.Vips[i], b = edited.Vips[i];
            if (!a.Address.Equals(b.Address) || a.Port != b.Port || a.Protocol != b.Protocol)
                return false;
        }
        return true;
    }

    /// <summary>The VIP at <paramref name="index"/> written out alone (with the settings it is read against) and read as the file's VIP there.</summary>
    private static VipAsRead? ReadAlone(ForwarderConfig edited, int index, ConfigDiagnostics diagnostics)
    {
        string yaml = ForwarderConfigWriter.Write(edited with { Vips = [edited.Vips[index]] });
        var own = new ConfigDiagnostics();
        ConfigNode? root = ConfigYamlParser.Parse(yaml, own);
        ConfigNode? node = root is ConfigMapping mapping ? mapping.Entries.LastOrDefault(e => e.Key.Value == "vips")?.Value : null;
        VipAsRead? reading = node is ConfigSequence { Items.Count: 1 } sequence
            ? ForwarderConfigReader.ReadVip(sequence.Items[0], index, edited.Gue, own)
            : null;
        if (reading is null && own.ErrorCount == 0)
            own.Error(ConfigPath.Item("vips", index), 0, 0, "the edited VIP could not be written out and read back");
        diagnostics.Include(own);
        return reading;
    }

    private static ConfigLoadResult Result(ForwarderConfig? config, LoadedVips? loadedVips, ConfigDiagnostics diagnostics)
    {
        bool valid = diagnostics.ErrorCount == 0 && config is not null;
        if (valid && loadedVips is not null)
            Readings.AddOrUpdate(config!, loadedVips);
        return new ConfigLoadResult(valid ? config : null, diagnostics.Errors, diagnostics.Warnings);
    }

    private static ConfigLoadResult Refused(string message) => new(null, [new ConfigDiagnostic("", 0, 0, message)], []);
}
