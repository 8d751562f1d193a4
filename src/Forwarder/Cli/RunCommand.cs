using System.CommandLine;
using System.Runtime.InteropServices;
using AfXdp;
using Forwarder.Api;
using Forwarder.Configuration;
using Forwarder.DataPlane;
using Forwarder.Hosting;
using Forwarder.Hosting.Privileges;
using Forwarder.Hosting.Upgrade;
using Forwarder.Liveness;
using Microsoft.Extensions.Logging;
using Forwarder.Packets;
using Forwarder.Steering;

namespace Forwarder.Cli;

/// <summary><c>forwarder run</c>: serve VIP traffic on one interface until SIGINT or SIGTERM.</summary>
public static class RunCommand
{
    private const int UsageError = 2;
    private const int RuntimeError = 1;

    /// <summary>SIGUSR2 (Linux): upgrade to the running binary.</summary>
    private const int UpgradeSignal = ControlSignals.SIGUSR2;
    private const int MaxIdleSpinMicroseconds = 100_000;

    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Load-balance as the configuration file says (YAML, see docs/configuration.md): it names the interface, queues, cores, router MAC and VIPs, so those options are left out" };
        var iface = new Option<string>("--iface", "-i") { Description = "Interface to serve, e.g. eth0 (without --config: plain L2 forwarding of the --vip traffic to --next-hop-mac)" };
        var queues = new Option<string>("--queues", "-q") { Description = "RX queues to serve, comma-separated (one worker each)", DefaultValueFactory = _ => "0" };
        var cores = new Option<string?>("--cores", "-c") { Description = "CPU for each queue's worker, same order as --queues [default: the queue numbers]" };
        var vips = new Option<string[]>("--vip") { Description = "VIP to serve: ADDR[:PORT][/tcp|/udp]; IPv6 as [ADDR]:PORT. No port = any port, no protocol = both. Repeat for more", AllowMultipleArgumentsPerToken = false };
        var nextHop = new Option<string>("--next-hop-mac") { Description = "MAC address forwarded frames are sent to (the router), e.g. 02:00:00:00:00:01" };
        var xdpMode = new Option<string>("--xdp-mode") { Description = "Where the XDP program runs: native (driver) or skb (generic, any device)", DefaultValueFactory = _ => "native" };
        xdpMode.AcceptOnlyFromAmong("native", "skb");
        var zeroCopy = new Option<string>("--zero-copy") { Description = "auto: zero-copy where the driver can, copy mode otherwise; on: zero-copy or fail; off: copy mode", DefaultValueFactory = _ => "auto" };
        zeroCopy.AcceptOnlyFromAmong("auto", "on", "off");
        var batch = new Option<int>("--batch") { Description = $"Frames per worker iteration (1–{PacketBatch.MaxSize})", DefaultValueFactory = _ => 64 };
        var frames = new Option<uint>("--frames") { Description = "UMEM frames per queue (power of two; 4 KiB each)", DefaultValueFactory = _ => 4096 };
        var ringSize = new Option<uint>("--ring-size") { Description = "Entries of each RX, TX, FILL and COMPLETION ring (power of two)", DefaultValueFactory = _ => 2048 };
        var busyPoll = new Option<bool>("--busy-poll") { Description = "Busy-poll the queue from the worker (SO_PREFER_BUSY_POLL, SO_BUSY_POLL, SO_BUSY_POLL_BUDGET)" };
        var txBudget = new Option<uint?>("--tx-budget") { Description = "Copy-mode frames sent per TX wakeup (XDP_MAX_TX_SKB_BUDGET, kernel 6.17+) [default: the kernel's 32]" };
        var hugePages = new Option<bool>("--huge-pages") { Description = "Back the UMEM with huge pages when available" };
        var idleSpin = new Option<int>("--idle-spin-us") { Description = "Microseconds an idle worker spins after its last frame before it sleeps in poll() (0–100000)", DefaultValueFactory = _ => WorkerOptions.DefaultIdleSpinMicroseconds };
        var idleSleep = new Option<int>("--idle-sleep-ms") { Description = "Longest sleep of an idle worker in poll(); 0 = always spin", DefaultValueFactory = _ => 10 };
        var stats = new Option<double>("--stats-interval") { Description = "Seconds between live per-queue rate lines; 0 = none", DefaultValueFactory = _ => 1 };
        var bpfObject = new Option<string?>("--bpf-object") { Description = "XDP object file [default: bpf/redirect.o next to the binary]" };
        var flowTable = new Option<int>("--flow-table") { Description = $"Connection-table entries per worker (a power of two; {FlowTable.ConnectionTable.BytesPerEntry} bytes each, allocated at start); 0 = none, purely stateless", DefaultValueFactory = _ => 0 };
        var flowIdleTcp = new Option<double>("--flow-idle-tcp") { Description = "Seconds a TCP connection stays remembered without a packet", DefaultValueFactory = _ => FlowTable.ConnectionTableOptions.Default.TcpIdleTimeout.TotalSeconds };
        var flowIdleUdp = new Option<double>("--flow-idle-udp") { Description = "Seconds a UDP flow stays remembered without a packet", DefaultValueFactory = _ => FlowTable.ConnectionTableOptions.Default.UdpIdleTimeout.TotalSeconds };
        var flowMaxNew = new Option<long>("--flow-table-max-new-per-second") { Description = "Most new connections each worker remembers per second (Katran's MAX_CONN_RATE); beyond it new flows are forwarded by Maglev alone and counted; 0 = no limit", DefaultValueFactory = _ => 0 };
        var receiveOnly = new Option<bool>("--receive-only") { Description = "Benchmarking switch: process every frame as usual, then recycle it to FILL instead of sending it (counted as drop reason receive_only); nothing is transmitted" };
        var keepCapabilities = new Option<bool>("--keep-capabilities") { Description = $"Keep every capability the process starts with (for debugging); by default it sets up what needs privileges, then re-executes itself holding only {PrivilegeNeeds.RunningNames} (see docs/operations.md)" };
        var api = new Option<string>("--api") { Description = "Where the control API listens (with --config): ADDRESS:PORT, unix:PATH, or none (see docs/operations.md)", DefaultValueFactory = _ => ApiAddress.DefaultText };
        var livenessDevice = new Option<string?>("--liveness-device") { Description = "Create this TUN device (e.g. fwd0) and keep it up while the node can forward: BIRD announces the VIPs via it, so the process's death, a drain or a stalled worker withdraws them (see docs/operations.md)" };
        var drainQuiet = new Option<double>("--drain-quiet") { Description = "With --liveness-device: a drain (SIGTERM, forwarder drain) ends once no VIP packet arrived for this many seconds", DefaultValueFactory = _ => LivenessOptions.DefaultDrainQuiet.TotalSeconds };
        var drainMax = new Option<double>("--drain-max") { Description = "With --liveness-device: a drain ends after at most this many seconds", DefaultValueFactory = _ => LivenessOptions.DefaultDrainMax.TotalSeconds };
        var noDrain = new Option<bool>("--no-drain") { Description = "With --liveness-device: SIGTERM stops at once instead of draining first" };
        var watchdogStall = new Option<string?>("--watchdog-stall") { Description = $"With --liveness-device: a worker with frames waiting in its RX ring and no progress for this long (10ms to 1m) withdraws the node [default: {Duration.Format(LivenessOptions.DefaultWatchdogStall)}, or announce.watchdog_stall]" };
        var apiTokenFile = new Option<string?>("--api-token-file") { Description = "File holding the control API's bearer token (not readable by other users): every request, /metrics included, must then send Authorization: Bearer TOKEN; required for an --api address off loopback" };

        var command = new Command("run", $"Serve VIP traffic on an interface until SIGINT or SIGTERM. Needs {PrivilegeNeeds.Summary} (see docs/operations.md). Examples:\n" +
            "  forwarder run --config /etc/forwarder.yaml                 (load balancing)\n" +
            "  forwarder run --iface eth0 --queues 0,1 --cores 2,3 --vip 10.100.0.1:80/tcp --next-hop-mac 02:00:00:00:00:01   (plain L2 forwarding)")
        {
            config, iface, queues, cores, vips, nextHop, xdpMode, zeroCopy, batch, frames, ringSize, busyPoll, txBudget, hugePages, idleSpin, idleSleep, stats, bpfObject, flowTable, flowIdleTcp, flowIdleUdp, flowMaxNew, api, apiTokenFile, receiveOnly, keepCapabilities,
            livenessDevice, drainQuiet, drainMax, noDrain, watchdogStall,
        };

        command.SetAction(parse =>
        {
            ForwarderOptions options;
            ApiAddress? apiAddress;
            ApiToken? apiToken = null;
            try
            {
                apiAddress = ApiAddress.Parse(parse.GetValue(api)!);
                uint ring = parse.GetValue(ringSize);
                uint frameCount = parse.GetValue(frames);
                if (!uint.IsPow2(ring) || ring < 64)
                    throw new FormatException($"--ring-size {ring}: give a power of two of at least 64, e.g. 2048");
                if (!uint.IsPow2(frameCount))
                    throw new FormatException($"--frames {frameCount}: give a power of two, e.g. 4096");
                if (frameCount < 2 * ring)
                    throw new FormatException($"--frames {frameCount} is too few for rings of {ring}: give at least twice --ring-size");
                int batchSize = parse.GetValue(batch);
                if (batchSize is < 1 or > PacketBatch.MaxSize)
                    throw new FormatException($"--batch {batchSize}: give 1 to {PacketBatch.MaxSize}");
                int idleSpinMicroseconds = parse.GetValue(idleSpin);
                if (idleSpinMicroseconds is < 0 or > MaxIdleSpinMicroseconds)
                    throw new FormatException($"--idle-spin-us {idleSpinMicroseconds}: give 0 to {MaxIdleSpinMicroseconds} (e.g. {WorkerOptions.DefaultIdleSpinMicroseconds})");
                var tuning = new ForwarderOptions
                {
                    Interface = "",
                    Queues = [],
                    Vips = [],
                    NextHopMac = [],
                    Umem = new UmemOptions { FrameCount = frameCount, FillRingSize = ring, CompletionRingSize = ring, HugePages = parse.GetValue(hugePages) },
                    Socket = new XskSocketOptions
                    {
                        RxRingSize = ring,
                        TxRingSize = ring,
                        ZeroCopy = parse.GetValue(zeroCopy) switch { "on" => ZeroCopyMode.On, "off" => ZeroCopyMode.Off, _ => ZeroCopyMode.Auto },
                        BusyPoll = parse.GetValue(busyPoll) ? new BusyPollOptions() : null,
                        TxBudget = parse.GetValue(txBudget),
                    },
                    Worker = new WorkerOptions { BatchSize = batchSize, IdleSpinMicroseconds = idleSpinMicroseconds, IdleSleepMs = parse.GetValue(idleSleep), WakeRxWhenEmpty = parse.GetValue(busyPoll) },
                    ReceiveOnly = parse.GetValue(receiveOnly),
                    StatsInterval = parse.GetValue(stats),
                    FlowTable = FlowTableOptions(parse.GetValue(flowTable), parse.GetValue(flowIdleTcp), parse.GetValue(flowIdleUdp), parse.GetValue(flowMaxNew)),
                    BpfObjectPath = parse.GetValue(bpfObject) ?? RedirectProgram.DefaultObjectPath,
                    Liveness = Liveness(parse, livenessDevice, drainQuiet, drainMax, noDrain, watchdogStall),
                };
                if (parse.GetValue(config) is { } configPath)
                {
                    foreach (Option setByFile in new Option[] { iface, queues, cores, vips, nextHop, xdpMode })
                    {
                        if (parse.GetResult(setByFile) is { Implicit: false })
                            throw new FormatException($"{setByFile.Name} is set by the configuration file {configPath}; leave it out (or leave out --config)");
                    }
                    apiToken = ApiAccess(apiAddress, parse.GetValue(apiTokenFile));
                    if (LoadConfig(configPath) is not { } loaded)
                        return UsageError;
                    ForwarderOptions fromFile = ForwarderConfigMapping.ToForwarderOptions(loaded);
                    options = tuning with
                    {
                        Interface = fromFile.Interface,
                        Queues = fromFile.Queues,
                        Vips = fromFile.Vips,
                        NextHopMac = fromFile.NextHopMac,
                        XdpMode = fromFile.XdpMode,
                        Config = loaded,
                        Liveness = LivenessFromFile(tuning.Liveness, loaded.Announce, configPath, parse, drainQuiet, drainMax, noDrain, watchdogStall),
                    };
                }
                else
                {
                    if (apiAddress is not null && parse.GetResult(api) is { Implicit: false })
                        throw new FormatException("--api serves a configuration's live changes: give --config FILE with it (or leave --api out)");
                    if (parse.GetValue(apiTokenFile) is not null)
                        throw new FormatException("--api-token-file protects the control API, which serves a configuration: give --config FILE with it (or leave it out)");
                    if (tuning.FlowTable is not null)
                        throw new FormatException("--flow-table remembers load-balancing decisions: it needs --config");
                    foreach (Option required in new Option[] { iface, vips, nextHop })
                    {
                        if (parse.GetResult(required) is null or { Implicit: true })
                            throw new FormatException($"{required.Name} is required without --config (or give --config FILE to load-balance)");
                    }
                    options = tuning with
                    {
                        Interface = parse.GetValue(iface)!,
                        Queues = QueueAssignment.Parse(parse.GetValue(queues)!, parse.GetValue(cores), StartupIsolation.AllowedCpus()),
                        Vips = parse.GetValue(vips)!.Select(VipSpec.Parse).ToArray(),
                        NextHopMac = MacAddress.Parse(parse.GetValue(nextHop)!, "--next-hop-mac"),
                        XdpMode = parse.GetValue(xdpMode) == "skb" ? XdpMode.Skb : XdpMode.Native,
                    };
                }
                if (options.Liveness is null)
                {
                    if (parse.GetResult(watchdogStall) is { Implicit: false })
                        throw new FormatException($"{watchdogStall.Name} sets when the watchdog withdraws the liveness device: give --liveness-device NAME (or a configuration with an announce section) with it, or leave it out");
                    foreach (Option drainOption in new Option[] { drainQuiet, drainMax, noDrain })
                    {
                        if (parse.GetResult(drainOption) is { Implicit: false })
                            throw new FormatException($"{drainOption.Name} shapes the drain of the liveness device: give --liveness-device NAME (or a configuration with an announce section) with it, or leave it out");
                    }
                }
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine($"forwarder run: {e.Message}");
                return UsageError;
            }
            return Serve(options, parse.GetValue(config), apiAddress, apiToken, parse.GetValue(keepCapabilities));
        });
        return command;
    }

    /// <summary>The liveness device's options, or null without <c>--liveness-device</c>.</summary>
    private static LivenessOptions? Liveness(ParseResult parse, Option<string?> device, Option<double> quiet, Option<double> max, Option<bool> noDrain,
        Option<string?> stall)
    {
        if (parse.GetValue(device) is not { } name)
            return null;
        var options = new LivenessOptions
        {
            DeviceName = name,
            DrainQuiet = Seconds(parse.GetValue(quiet), quiet.Name),
            DrainMax = Seconds(parse.GetValue(max), max.Name),
            DrainOnStop = !parse.GetValue(noDrain),
            WatchdogStall = WatchdogStall(parse.GetValue(stall)) ?? LivenessOptions.DefaultWatchdogStall,
        };
        IReadOnlyList<string> problems = options.Validate();
        return problems.Count == 0 ? options : throw new FormatException(string.Join("; ", problems));
    }

    /// <summary>
    /// The liveness device of a configuration with an <c>announce</c> section, which names it (BIRD's routes go via
    /// it) and its drain and watchdog times: a <c>--liveness-device</c> must name the same device, and
    /// <c>--drain-quiet</c>/<c>--drain-max</c> given on the command line win. Without the section, the flags alone.
    /// </summary>
    private static LivenessOptions? LivenessFromFile(LivenessOptions? fromFlags, AnnounceConfig? announce, string configPath, ParseResult parse,
        Option<double> quiet, Option<double> max, Option<bool> noDrain, Option<string?> stall)
    {
        if (announce is null)
            return fromFlags;
        if (fromFlags is not null && fromFlags.DeviceName != announce.LivenessDevice)
        {
            throw new FormatException($"--liveness-device {fromFlags.DeviceName} differs from announce.liveness_device {announce.LivenessDevice} in {configPath}, " +
                "which BIRD's routes go via: leave --liveness-device out (or give the same name)");
        }
        var options = new LivenessOptions
        {
            DeviceName = announce.LivenessDevice,
            DrainQuiet = parse.GetResult(quiet) is { Implicit: false } ? Seconds(parse.GetValue(quiet), quiet.Name) : announce.DrainQuiet,
            DrainMax = parse.GetResult(max) is { Implicit: false } ? Seconds(parse.GetValue(max), max.Name) : announce.DrainMax,
            DrainOnStop = fromFlags?.DrainOnStop ?? !parse.GetValue(noDrain),
            WatchdogStall = WatchdogStall(parse.GetValue(stall)) ?? announce.WatchdogStall,
        };
        IReadOnlyList<string> problems = options.Validate();
        return problems.Count == 0 ? options : throw new FormatException($"{configPath} announce: {string.Join("; ", problems)}");
    }

    /// <summary>The <c>--watchdog-stall</c> duration, null when not given; refuses one outside the configuration's range, naming it.</summary>
    internal static TimeSpan? WatchdogStall(string? text)
    {
        if (text is null)
            return null;
        TimeSpan? stall = Duration.Parse(text.Trim());
        if (stall is not { } value || value < AnnounceConfig.MinWatchdogStall || value > AnnounceConfig.MaxWatchdogStall)
        {
            throw new FormatException($"--watchdog-stall '{text}': give {Duration.Syntax}, from {Duration.Format(AnnounceConfig.MinWatchdogStall)} " +
                $"to {Duration.Format(AnnounceConfig.MaxWatchdogStall)} (default {Duration.Format(LivenessOptions.DefaultWatchdogStall)})");
        }
        return value;
    }

    private static TimeSpan Seconds(double seconds, string option) =>
        double.IsFinite(seconds) && seconds is > 0 and <= 86_400
            ? TimeSpan.FromSeconds(seconds)
            : throw new FormatException($"{option} {seconds}: give a number of seconds above 0 and at most 86400, e.g. 2");

    /// <summary>
    /// The API's token, read from <paramref name="tokenFile"/> (null without one), once the address is known to be
    /// usable: a TCP address off loopback needs a token, and a socket's path must not hold anything but a socket.
    /// </summary>
    private static ApiToken? ApiAccess(ApiAddress? address, string? tokenFile)
    {
        ApiToken? token = tokenFile is null ? null : ApiToken.ReadFile(tokenFile);
        if (address is null)
            return token;
        if (token is null && !address.IsLocal)
            throw new FormatException(ApiAddress.NeedsTokenMessage(address));
        try
        {
            if (address.SocketPath is { } socketPath && UnixSocketFile.Refusal(socketPath) is { } refusal)
                throw new FormatException(refusal);
        }
        catch (IOException e)
        {
            throw new FormatException($"--api {address}: {e.Message}");
        }
        return token;
    }

    /// <summary>The connection table's shape, or null for none; refuses an invalid shape as a usage error.</summary>
    private static FlowTable.ConnectionTableOptions? FlowTableOptions(int entries, double tcpIdleSeconds, double udpIdleSeconds, long maxNewPerSecond = 0)
    {
        if (entries == 0)
        {
            if (maxNewPerSecond != 0)
                throw new FormatException("--flow-table-max-new-per-second bounds the connection table: give --flow-table ENTRIES with it (or leave it out)");
            return null;
        }
        var options = new FlowTable.ConnectionTableOptions
        {
            Capacity = entries,
            Ways = Math.Min(FlowTable.ConnectionTableOptions.DefaultWays, Math.Max(1, entries)),
            TcpIdleTimeout = TimeSpan.FromSeconds(tcpIdleSeconds),
            UdpIdleTimeout = TimeSpan.FromSeconds(udpIdleSeconds),
            MaxNewPerSecond = maxNewPerSecond,
        };
        IReadOnlyList<string> problems = options.Validate();
        if (problems.Count > 0)
            throw new FormatException($"--flow-table {entries}: {string.Join("; ", problems)}");
        return options;
    }

    /// <summary>Loads and validates the file against this machine; prints every problem and returns null when it is refused.</summary>
    private static ForwarderConfig? LoadConfig(string path)
    {
        string? handedOver = UpgradeConfig.Take(); // an upgrade starts from its predecessor's running configuration
        ConfigLoadResult result = handedOver is null ? ForwarderConfigLoader.LoadFile(path, StartupIsolation.AllowedCpus()) : ForwarderConfigLoader.Load(handedOver, StartupIsolation.AllowedCpus());
        foreach (ConfigDiagnostic warning in InheritedSetup.IsPresent ? [] : result.Warnings) // the predecessor printed them
            Console.Error.WriteLine($"{path}: warning: {warning}");
        if (result.IsValid && result.Config is { } config)
            return config;
        foreach (ConfigDiagnostic error in result.Errors)
            Console.Error.WriteLine($"{path}: {error}");
        Console.Error.WriteLine($"forwarder run: {path} refused ({result.Errors.Count} error(s)); nothing was started");
        return null;
    }

    /// <param name="configPath">The configuration file, reloaded on SIGHUP and when it changes; null for plain L2 forwarding.</param>
    /// <param name="apiAddress">Where the control API listens (with a configuration); null for none.</param>
    /// <param name="apiToken">The token every API request must carry; null for none.</param>
    /// <param name="keepCapabilities">Skip dropping capabilities after the privileged part of set-up.</param>
    private static int Serve(ForwarderOptions options, string? configPath, ApiAddress? apiAddress, ApiToken? apiToken, bool keepCapabilities)
    {
        StartupTimeline.Mark(StartupPhase.ConfigLoaded);
        ConsoleOutput.Install(); // from here on a failed log, stats or error line is counted, never fatal
        // Built only where something is logged: not in the image that sets up and re-executes itself; in its successor
        // (or with --keep-capabilities) once the first batch is forwarded, its lines kept until then.
        using var log = new DeferredLogger(() => LoggerFactory.Create(b => b.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        }).AddFilter(l => l >= LogLevel.Information)), "forwarder");
        if (InheritedSetup.IsPresent || keepCapabilities)
            log.Hold(ForwarderHost.DeferLimit + TimeSpan.FromSeconds(1));
        if (!ForwarderStartup.Prepare(options, apiAddress, keepCapabilities, log, Console.Error, out InheritedSetup? inherited))
            return RuntimeError; // may instead have re-executed this process with fewer capabilities

        using var stop = new ManualResetEventSlim();
        LivenessController? liveness = null; // set once the data path is up; SIGTERM drains through it unless --no-drain
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Set(); }); // always at once, draining or not
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            if (Volatile.Read(ref liveness) is { Options.DrainOnStop: true } drainable)
                drainable.RequestDrain("SIGTERM"); // a second SIGTERM while draining changes nothing
            else
                stop.Set();
        });
        ControlSurface? control = null; // set once the data path is up; SIGHUP before that (or without --config) is ignored
        using var onHup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => { c.Cancel = true; Volatile.Read(ref control)?.RequestReload("SIGHUP"); });

        ForwarderHost host;
        try
        {
            host = ForwarderHost.Start(options, log, inherited);
        }
        catch (Exception e) when (e is XdpException or InvalidOperationException or FormatException or FileNotFoundException or ArgumentException)
        {
            Console.Error.WriteLine($"forwarder: {e.Message}");
            return RuntimeError;
        }

        UpgradeSuccessor? successor = null;
        if (inherited is { IsUpgrade: true })
        {
            try
            {
                successor = UpgradeSuccessor.TakeOver(host, inherited, options.Umem.FrameCount, log);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException)
            {
                Console.Error.WriteLine($"forwarder: {e.Message}");
                return RuntimeError; // before "running" the predecessor resumes; after it, nothing is left to serve
            }
        }
        using var systemd = SystemdNotify.FromEnvironment();
        UpgradeCoordinator upgrades = null!; // its hand-over callback reads the successor's pid from it
        upgrades = new UpgradeCoordinator(host, log, () =>
        {
            systemd.HandedOver(upgrades.SuccessorPid); // before it leaves: systemd never sees the main process go without a successor
            stop.Set();
        });
        using var onUsr2 = PosixSignalRegistration.Create((PosixSignal)UpgradeSignal, c =>
        {
            c.Cancel = true;
            Task.Run(() => upgrades.Run(null, "SIGUSR2"));
        });

        using (successor)
        using (host)
        {
            var reporter = new StatsReporter(host, Console.Out);
            Console.Out.WriteLine($"READY iface={host.Interface.Name} queues={string.Join(',', options.Queues.Select(q => q.Queue))} " +
                $"cores={string.Join(',', options.Queues.Select(q => q.Core))} mode={(host.Queues.All(q => q.Socket.IsZeroCopy) ? "zero-copy" : "copy")} " +
                $"vips={string.Join(',', options.Vips)}");
            Console.Out.Flush();
            if (successor is null)
                systemd.Ready($"forwarding on {host.Interface.Name}");
            else
            {
                // The predecessor named this process the main one as it handed over and sends nothing after that.
                if (systemd.IsEnabled && !successor.WaitForPredecessor())
                    Console.Error.WriteLine("forwarder: upgrade: the predecessor has not handed over to systemd; sending MAINPID all the same");
                systemd.TookOver($"forwarding on {host.Interface.Name} (upgraded)");
            }
            if (host.Liveness is { } controller)
            {
                controller.DrainStarted += () => systemd.Stopping("draining");
                controller.DrainStarted += () => host.Announcer?.Withdraw("draining"); // BIRD is offered no VIP either
            }
            Volatile.Write(ref liveness, host.Liveness);
            host.WaitForDeferredStart(); // the API starts after the first batch (or the limit), not beside it
            log.Release();
            int apiListener = inherited?.ApiFd ?? -1; // the predecessor's listening socket: connections wait in its backlog, none is refused
            if (successor is not null && apiListener < 0 && !successor.WaitForPredecessor())
                Console.Error.WriteLine("forwarder: upgrade: the predecessor has not left; the control API may not be able to listen");
            using ControlSurface? surface = configPath is null ? null : ControlSurface.Start(host, configPath, apiAddress, apiToken, log, upgrades.RunForApi, apiListener);
            upgrades.ApiListenerFd = surface?.ApiListenerFd ?? -1;
            successor?.StartupDone(log); // its start-up ran off the workers' cores until now
            Volatile.Write(ref control, surface);
            TimeSpan interval = options.StatsInterval > 0 ? TimeSpan.FromSeconds(options.StatsInterval) : TimeSpan.FromMilliseconds(200);
            int exitCode = 0;
            // With a liveness device the loop also watches a drain, so it wakes more often; stats keep their interval.
            TimeSpan tick = host.Liveness is null ? interval : TimeSpan.FromTicks(Math.Min(interval.Ticks, TimeSpan.FromMilliseconds(50).Ticks));
            var sinceRates = System.Diagnostics.Stopwatch.StartNew();
            DrainSummary? drained = null;
            while (!stop.Wait(tick))
            {
                if (host.WorkerFailure is { } failure)
                {
                    Console.Error.WriteLine($"forwarder: a worker stopped: {failure.Message}");
                    exitCode = RuntimeError;
                    break;
                }
                if (host.Liveness?.CheckDrain() is { } ended)
                {
                    drained = ended;
                    break;
                }
                if (options.StatsInterval > 0 && (tick == interval || sinceRates.Elapsed >= interval - TimeSpan.FromMilliseconds(5)))
                {
                    reporter.PrintRates();
                    sinceRates.Restart();
                }
            }
            if (upgrades.HandedOver)
            {
                surface?.HandOverApi(); // the successor listens on the same socket: it stays listening, its file in place
                surface?.Dispose(); // stops accepting; requests in flight (the answer to POST /upgrade) are answered first
                UpgradeExit.Now(upgrades.SuccessorPid); // no teardown: everything it would undo is the successor's now
            }
            drained ??= host.Liveness?.InterruptDrain();
            Volatile.Write(ref liveness, null);
            systemd.Stopping("stopping");
            Volatile.Write(ref control, null);
            surface?.Dispose(); // the API and reloads stop before the data path does
            host.StopWatchdog(); // stopped workers are no stalled ones
            foreach (QueueWorker queue in host.Queues)
                queue.StopWorker(); // the final reading sees every counter settled
            reporter.PrintFinal(drained);
            return exitCode;
        }
    }
}
