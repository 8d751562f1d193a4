using System.CommandLine;
using System.Net.Sockets;
using AfXdp;
using Forwarder.Configuration;
using Forwarder.ControlPlane;

namespace Forwarder.Cli;

/// <summary>
/// <c>forwarder check --config FILE</c>: validates a configuration file without touching any device, and
/// prints the memory its tables need and each VIP's Maglev table digest, so the tables of all nodes of an
/// ECMP group can be compared. Exit codes as <c>replay</c>'s: 0 valid, 1 refused, 2 a bad command line.
/// </summary>
public static class CheckCommand
{
    private const int Refused = 1;

    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "Configuration file to check (YAML, see docs/configuration.md)", Required = true };
        var local = new Option<bool>("--local") { Description = "Also check the file against this machine (e.g. that its cores exist here)" };
        var command = new Command("check", "Validate a configuration file without touching any device; print every problem with its field, line and column, the memory the tables need and each VIP's table digest") { config, local };
        command.SetAction(parse => Check(parse.GetValue(config)!, parse.GetValue(local), Console.Out, Console.Error));
        return command;
    }

    public static int Check(string path, bool againstThisMachine, TextWriter output, TextWriter errors)
    {
        ConfigLoadResult result = ForwarderConfigLoader.LoadFile(path, againstThisMachine ? CpuAffinity.AllowedCpus() : null);
        foreach (ConfigDiagnostic warning in result.Warnings)
            errors.WriteLine($"{path}: warning: {warning}");
        if (!result.IsValid || result.Config is not { } cfg)
        {
            foreach (ConfigDiagnostic error in result.Errors)
                errors.WriteLine($"{path}: {error}");
            errors.WriteLine($"{path}: refused ({result.Errors.Count} error(s))");
            return Refused;
        }

        int largestMtu = Hosting.StartupChecks.LargestMtu(new UmemOptions());
        if (Hosting.StartupChecks.ConfiguredMtuAbove(cfg, largestMtu, $"what a UMEM frame carries (MTU {largestMtu}), which forwarder run refuses") is { } mtuProblem)
        {
            errors.WriteLine($"{path}: {mtuProblem}");
            errors.WriteLine($"{path}: refused (1 error(s))");
            return Refused;
        }

        output.WriteLine($"{path}: valid — interface {cfg.Interface.Name}, {cfg.Vips.Count} VIP(s), " +
            $"{cfg.Vips.Sum(v => v.Backends.Count)} backend(s), router {MacAddress.Format(cfg.RouterMac.GetAddressBytes())}");
        output.WriteLine($"  tables: up to {ByteSize.Approximate(TableMemory.Estimate(cfg))} of the {ByteSize.Exact(cfg.Limits.TableMemory)} limits.table_memory allows");
        foreach (VipConfig vip in cfg.Vips)
        {
            VipTable table = VipTable.Build(vip);
            string address = vip.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{vip.Address}]" : vip.Address.ToString();
            int usable = vip.Backends.Count(b => b.Weight > 0);
            output.WriteLine($"  vip {address}:{(vip.Port == 0 ? "*" : vip.Port)}/{ConfigNames.Of(ConfigNames.Protocols, vip.Protocol)} " +
                $"{ConfigNames.Of(ConfigNames.Modes, vip.Mode)} maglev {ConfigNames.Of(ConfigNames.MaglevVersions, vip.Maglev.Version)}/{vip.Maglev.RingSize}: " +
                $"{usable} of {vip.Backends.Count} backend(s) in the table, digest {table.Digest}");
            if (vip.AllowedSources is { } sources)
                output.WriteLine($"    allowed_sources: {sources.Count} prefix(es); other clients are dropped (source_not_allowed)");
        }
        return 0;
    }
}
