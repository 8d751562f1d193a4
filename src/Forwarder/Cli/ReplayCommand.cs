using System.CommandLine;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.Hosting;
using Forwarder.Replay;
using Forwarder.Packets;

namespace Forwarder.Cli;

/// <summary>
/// <c>forwarder replay --config FILE --in IN.pcap --out OUT.pcap</c>: runs the workers' load-balancing stage
/// over a capture file — no device, no privileges — writes the frames it would transmit and prints what
/// happened to every frame. How a configuration is tried on real traffic before it is deployed.
/// </summary>
public static class ReplayCommand
{
    private const int Failure = 1;
    private const int UsageError = 2;

    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "Configuration file to replay with (YAML, see docs/configuration.md)", Required = true };
        var input = new Option<string>("--in") { Description = "Capture to replay: pcap or pcapng, Ethernet (e.g. tcpdump -i eth0 -w IN.pcap)", Required = true };
        var output = new Option<string>("--out") { Description = "Where the transmitted frames are written (pcap; replaced if it exists)", Required = true };
        var ownMac = new Option<string>("--own-mac") { Description = "The forwarder's own MAC: the source MAC of the frames it sends", DefaultValueFactory = _ => ReplayRequest.DefaultOwnMac };
        var batch = new Option<int>("--batch") { Description = $"Frames per batch (1–{PacketBatch.MaxSize}), as a worker's --batch", DefaultValueFactory = _ => ReplayRunner.DefaultBatchSize };
        var json = new Option<bool>("--json") { Description = "Also print the summary as one JSON object (snake_case), on the last line" };
        var command = new Command("replay", "Run the load balancer over a capture file without touching any device: write the frames it would transmit and print " +
            "frames in, transmitted, drops by reason, packets per VIP and backend, and the answers it gave. Example:\n" +
            "  forwarder replay --config /etc/forwarder.yaml --in traffic.pcap --out forwarded.pcap")
        {
            config, input, output, ownMac, batch, json,
        };
        command.SetAction(parse => Replay(
            new ReplayRequest(parse.GetValue(config)!, parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(ownMac)!, parse.GetValue(batch), parse.GetValue(json)),
            Console.Out, Console.Error));
        return command;
    }

    public static int Replay(ReplayRequest request, TextWriter output, TextWriter errors)
    {
        byte[] ownMac;
        try
        {
            ownMac = MacAddress.Parse(request.OwnMac, "--own-mac");
            if (request.BatchSize is < 1 or > PacketBatch.MaxSize)
                throw new FormatException($"--batch {request.BatchSize}: give 1 to {PacketBatch.MaxSize}");
            if (SameFile(request.Input, request.Output))
                throw new FormatException($"--in and --out are the same file ({request.Input}): the capture would be overwritten");
        }
        catch (FormatException e)
        {
            errors.WriteLine($"forwarder replay: {e.Message}");
            return UsageError;
        }

        if (LoadConfig(request.Config, errors) is not { } config)
            return Failure;

        ConfiguredSnapshot snapshot = SnapshotBuilder.Build(config, ownMac, workerCount: 1);
        var processor = new LoadBalancer(new SnapshotSource(snapshot.Snapshot), workerIndex: 0);
        ICaptureReader reader;
        try
        {
            reader = CaptureFile.Open(request.Input);
        }
        catch (Exception e) when (e is PcapException or IOException or UnauthorizedAccessException)
        {
            errors.WriteLine(e is PcapException ? $"forwarder replay: {e.Message}" : $"forwarder replay: cannot read {request.Input}: {e.Message}");
            return Failure;
        }

        ReplayCounts counts;
        using (reader)
        {
            PcapWriter writer;
            try
            {
                writer = PcapWriter.Create(request.Output);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.WriteLine($"forwarder replay: cannot write {request.Output}: {e.Message}");
                return Failure;
            }
            try
            {
                using (writer)
                    counts = ReplayRunner.Run(ref processor, reader, writer, request.BatchSize);
            }
            catch (Exception e) when (e is PcapException or InvalidOperationException or IOException)
            {
                File.Delete(request.Output); // a capture that silently lacks frames would mislead more than none
                errors.WriteLine($"forwarder replay: {e.Message}");
                errors.WriteLine($"forwarder replay: nothing was written to {request.Output}");
                return Failure;
            }
        }

        var summary = ReplaySummary.From(request.Config, request.Input, request.Output, counts, snapshot.Totals(), snapshot.EventTotals());
        summary.WriteText(output);
        if (request.Json)
            output.WriteLine(summary.ToJson());
        return 0;
    }

    /// <summary>Loads the file as <c>forwarder check</c> does, printing its warnings, or its errors when it is refused.</summary>
    private static ForwarderConfig? LoadConfig(string path, TextWriter errors)
    {
        ConfigLoadResult result = ForwarderConfigLoader.LoadFile(path);
        foreach (ConfigDiagnostic warning in result.Warnings)
            errors.WriteLine($"{path}: warning: {warning}");
        if (result.IsValid)
            return result.Config;
        foreach (ConfigDiagnostic error in result.Errors)
            errors.WriteLine($"{path}: {error}");
        errors.WriteLine($"{path}: refused ({result.Errors.Count} error(s)); nothing was replayed");
        return null;
    }

    private static bool SameFile(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);
}

