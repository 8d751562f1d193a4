using System.CommandLine;
using AfXdp;
using TrafficGen.Sink;

namespace TrafficGen.Cli;

/// <summary>
/// <c>trafficgen sink</c>: attaches a counting drop or XDP_TX program to an interface and either measures
/// (<c>--runs N</c>: prints RUN lines and one RESULT line, then exits) or reports every interval until stopped.
/// </summary>
internal static class SinkCommand
{
    public static Command Create()
    {
        var iface = new Option<string>("--iface") { Description = "Interface to attach to", Required = true };
        var action = new Option<SinkAction>("--action") { Description = "drop: count and drop; tx: count, swap MACs and send back (XDP_TX)", DefaultValueFactory = _ => SinkAction.Drop };
        var mode = new Option<XdpMode>("--xdp-mode") { Description = "native or skb", DefaultValueFactory = _ => XdpMode.Native };
        var runs = new Option<int>("--runs") { Description = "Measurement windows; 0 = report every --interval until Ctrl-C", DefaultValueFactory = _ => 0 };
        var runSeconds = new Option<double>("--run-seconds") { Description = "Length of each measurement window", DefaultValueFactory = _ => 10 };
        var warmup = new Option<double>("--warmup") { Description = "Seconds ignored after the first frame arrives", DefaultValueFactory = _ => 2 };
        var timeout = new Option<double>("--first-frame-timeout") { Description = "Seconds to wait for the first frame when measuring", DefaultValueFactory = _ => 60 };
        var interval = new Option<double>("--interval") { Description = "Seconds between RATE lines when not measuring", DefaultValueFactory = _ => 1 };
        var bpfDir = BpfDirectory.CreateOption();

        var command = new Command("sink", "Count (and drop or bounce back) the frames arriving on an interface; measure their rate.");
        foreach (Option option in new Option[] { iface, action, mode, runs, runSeconds, warmup, timeout, interval, bpfDir })
            command.Options.Add(option);

        command.SetAction(result =>
        {
            try
            {
                NetworkInterface nic = NetworkInterface.Get(result.GetValue(iface)!);
                SinkAction sinkAction = result.GetValue(action);
                XdpMode xdpMode = result.GetValue(mode);
                var plan = new MeasurementPlan(result.GetValue(warmup), result.GetValue(runs), result.GetValue(runSeconds), result.GetValue(timeout));
                if (plan.Runs < 0 || plan.RunSeconds <= 0 || plan.Warmup < 0 || result.GetValue(interval) <= 0)
                    throw new ArgumentException("--runs, --warmup must be >= 0 and --run-seconds, --interval > 0");
                using var stop = new StopSignal();
                using PacketSink sink = PacketSink.Attach(result.GetValue(bpfDir)!, sinkAction, nic, xdpMode);
                Console.WriteLine($"READY iface={nic.Name} action={sinkAction.ToString().ToLowerInvariant()} mode={xdpMode.ToString().ToLowerInvariant()}");
                if (plan.Runs == 0)
                {
                    sink.ReportUntilStopped(result.GetValue(interval), Console.Out, stop.Token);
                    Console.WriteLine($"TOTAL packets={sink.Counters.Packets} bytes={sink.Counters.Bytes}");
                    return 0;
                }
                RateSummary? summary = sink.Measure(plan, Console.Out, stop.Token);
                Console.WriteLine(summary?.ToString() ?? "RESULT none");
                return summary is null ? 2 : 0;
            }
            catch (Exception e) when (e is ArgumentException or XdpException or FileNotFoundException)
            {
                Console.Error.WriteLine($"trafficgen sink: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
