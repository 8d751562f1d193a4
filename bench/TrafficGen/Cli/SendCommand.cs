using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using AfXdp;
using TrafficGen.Frames;
using TrafficGen.Generation;
using PhysicalAddress = System.Net.NetworkInformation.PhysicalAddress;

namespace TrafficGen.Cli;

/// <summary><c>trafficgen send</c>: builds the template frame and offers it, flow by flow, on an interface.</summary>
internal static class SendCommand
{
    public static Command Create()
    {
        var iface = new Option<string>("--iface") { Description = "Interface to send from (on a veth the frames arrive at its peer)", Required = true };
        var dstMac = new Option<string>("--dst-mac") { Description = "Destination MAC, e.g. 02:00:00:00:00:02", Required = true };
        var srcMac = new Option<string?>("--src-mac") { Description = "Source MAC (default: the interface's)" };
        var dst = new Option<string>("--dst") { Description = "Destination IPv4 or IPv6 address (the VIP)", DefaultValueFactory = _ => "10.100.0.1" };
        var src = new Option<string?>("--src") { Description = "First source address (default 198.18.0.1, or fd00:18::1 for IPv6)" };
        var srcPort = new Option<int>("--src-port") { Description = "First source port", DefaultValueFactory = _ => 10000 };
        var dstPort = new Option<int>("--dst-port") { Description = "Destination port", DefaultValueFactory = _ => 80 };
        var proto = new Option<string>("--proto") { Description = "udp or tcp-syn", DefaultValueFactory = _ => "udp" };
        proto.AcceptOnlyFromAmong("udp", "tcp-syn");
        var size = new Option<int>("--size") { Description = "Frame length in bytes, Ethernet header included, FCS excluded (headers..1514)", DefaultValueFactory = _ => 64 };
        var noUdpChecksum = new Option<bool>("--no-udp-checksum") { Description = "IPv4 UDP only: send UDP checksum 0 (none)" };
        var flows = new Option<int>("--flows") { Description = "Distinct flows (5-tuples); each sending CPU walks all of them", DefaultValueFactory = _ => 1024 };
        var sources = new Option<int>("--sources") { Description = "Source addresses the flows are spread over (the rest varies the source port)", DefaultValueFactory = _ => 1 };
        var cpus = new Option<string>("--cpus") { Description = "CPUs to send from, one pinned thread each, e.g. 0 or 0,1", DefaultValueFactory = _ => "0" };
        var rate = new Option<long>("--rate") { Description = "Frames per second over all CPUs; 0 = as fast as possible", DefaultValueFactory = _ => 0 };
        var duration = new Option<double>("--duration") { Description = "Seconds to run; 0 = until --count or Ctrl-C", DefaultValueFactory = _ => 10 };
        var count = new Option<long>("--count") { Description = "Frames to send over all CPUs; 0 = no limit", DefaultValueFactory = _ => 0 };
        var batchSize = new Option<int>("--batch-size") { Description = "Frames per kernel batch (1-256)", DefaultValueFactory = _ => LiveFrames.DefaultBatchSize };
        var chunk = new Option<int>("--chunk") { Description = "Most frames per BPF_PROG_RUN call (each call has a fixed cost of 0.3 ms or more)", DefaultValueFactory = _ => 1 << 20 };
        var rxQueue = new Option<uint>("--rx-queue") { Description = "Receive queue of --iface the frames appear to arrive on", DefaultValueFactory = _ => 0 };
        var interval = new Option<double>("--interval") { Description = "Seconds between progress lines; 0 = none", DefaultValueFactory = _ => 1 };
        var method = new Option<string>("--method")
        {
            Description = "live (BPF_PROG_RUN live frames), socket (an AF_XDP socket per CPU) or auto (live where the kernel allows it, else socket)",
            DefaultValueFactory = _ => "auto",
        };
        method.AcceptOnlyFromAmong("auto", "live", "socket");
        var bpfDir = BpfDirectory.CreateOption();

        var command = new Command("send", "Offer UDP or TCP SYN frames on an interface (BPF_PROG_RUN live frames, or AF_XDP sockets where the kernel refuses those) and print the offered rate.");
        foreach (Option option in new Option[] { iface, dstMac, srcMac, dst, src, srcPort, dstPort, proto, size, noUdpChecksum, flows, sources, cpus, rate, duration, count, batchSize, chunk, rxQueue, interval, method, bpfDir })
            command.Options.Add(option);

        command.SetAction(result =>
        {
            try
            {
                NetworkInterface nic = NetworkInterface.Get(result.GetValue(iface)!);
                IPAddress destination = IPAddress.Parse(result.GetValue(dst)!);
                string? sourceText = result.GetValue(src);
                IPAddress source = sourceText is not null ? IPAddress.Parse(sourceText)
                    : IPAddress.Parse(destination.AddressFamily == AddressFamily.InterNetworkV6 ? "fd00:18::1" : "198.18.0.1");
                string? srcMacText = result.GetValue(srcMac);
                var spec = new FrameSpec(
                    srcMacText is null ? new PhysicalAddress(nic.Mac) : PhysicalAddress.Parse(srcMacText),
                    PhysicalAddress.Parse(result.GetValue(dstMac)!),
                    source,
                    destination,
                    Port(result.GetValue(srcPort), "--src-port"),
                    Port(result.GetValue(dstPort), "--dst-port"),
                    result.GetValue(proto) == "tcp-syn" ? L4Protocol.TcpSyn : L4Protocol.Udp,
                    result.GetValue(size),
                    UdpChecksum: !result.GetValue(noUdpChecksum));
                var options = new GeneratorOptions(
                    ParseCpus(result.GetValue(cpus)!),
                    result.GetValue(rate),
                    TimeSpan.FromSeconds(result.GetValue(duration)),
                    result.GetValue(count),
                    result.GetValue(batchSize),
                    result.GetValue(chunk),
                    result.GetValue(rxQueue),
                    result.GetValue(interval));
                Validate(options);
                FlowPlan plan = FlowPlan.Create(result.GetValue(flows), result.GetValue(sources));
                return Send(nic, spec, plan, options, result.GetValue(method)!, result.GetValue(bpfDir)!);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or XdpException or FileNotFoundException)
            {
                Console.Error.WriteLine($"trafficgen send: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static int Send(NetworkInterface nic, FrameSpec spec, FlowPlan plan, GeneratorOptions options, string methodText, string bpfDirectory)
    {
        byte[] frame = FrameBuilder.Build(spec);
        GeneratorConfig.CheckFits(spec, frame, plan);
        using XdpProgram program = XdpProgram.Load(Path.Combine(bpfDirectory, "trafficgen.o"), Generator.ProgramName);
        var generator = new Generator(program, GeneratorConfig.For(spec, frame, plan), options);
        InjectionMethod method = methodText switch
        {
            "live" => InjectionMethod.LiveFrames,
            "socket" => InjectionMethod.Socket,
            _ => generator.LiveFramesAllowed(frame, nic.Index) ? InjectionMethod.LiveFrames : InjectionMethod.Socket,
        };
        if (methodText == "auto" && method == InjectionMethod.Socket)
            Console.Error.WriteLine("trafficgen send: this kernel refuses BPF_PROG_RUN live frames (EPERM); sending through AF_XDP sockets instead");
        using var stop = new StopSignal();
        string rateText = options.Rate > 0 ? $"{options.Rate}" : "max";
        Console.WriteLine($"SENDING iface={nic.Name} size={spec.FrameSize} proto={spec.Protocol} {spec.Source}:{spec.SourcePort} -> {spec.Destination}:{spec.DestinationPort} " +
            $"flows={plan.Flows} ({plan.Ports} ports x {plan.Sources} sources) cpus={string.Join(',', options.Cpus)} rate={rateText} method={(method == InjectionMethod.Socket ? "socket" : "live")}");
        GeneratorResult sent = generator.Run(method, spec, frame, nic, Console.Out, stop.Token);
        Console.WriteLine($"OFFERED frames={sent.Frames} seconds={sent.Seconds:F3} mpps={sent.Pps / 1e6:F3}");
        return 0;
    }

    private static void Validate(GeneratorOptions options)
    {
        if (options.BatchSize is < 1 or > LiveFrames.MaxBatchSize)
            throw new ArgumentException($"--batch-size must be 1..{LiveFrames.MaxBatchSize}");
        if (options.Chunk < 1)
            throw new ArgumentException("--chunk must be at least 1");
        if (options.Rate < 0 || (options.Rate > 0 && options.Rate < options.Cpus.Count))
            throw new ArgumentException("--rate must be 0 (no limit) or at least one frame per second per CPU");
        if (options.Count < 0 || options.Duration < TimeSpan.Zero)
            throw new ArgumentException("--count and --duration cannot be negative");
        int processors = Environment.ProcessorCount;
        if (options.Cpus.Any(c => c < 0 || c >= processors) || options.Cpus.Distinct().Count() != options.Cpus.Count)
            throw new ArgumentException($"--cpus must list distinct CPUs between 0 and {processors - 1}");
    }

    private static ushort Port(int value, string name) =>
        value is >= 0 and <= ushort.MaxValue ? (ushort)value : throw new ArgumentException($"{name} must be 0..65535, got {value}");

    private static int[] ParseCpus(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse)];
}
