using System.Net;
using System.Threading.Channels;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Microsoft.Extensions.Logging;

namespace Forwarder.Announce;

/// <summary>
/// Tells this node's BIRD what to announce. On start and on every change the runtime publishes (a new configuration,
/// a backend going down or up) it decides which VIPs may be announced (<see cref="AnnouncedVips"/>); when the file
/// that decision renders differs from the one written, it writes it (<see cref="BirdIncludeFile"/>) and sends BIRD
/// <c>configure</c>. While BIRD is missing, unreachable or refuses, it retries with back-off and forwarding goes on;
/// each change of state is logged once and every failure counted by kind. Every <see cref="ReassertPeriod"/> it checks
/// the file on disk and that BIRD runs its protocols (a restarted BIRD, a deleted file), and reads BIRD's protocol
/// states for the metrics. Stopping writes a file with no VIP. Policy settings (hold-down, minimum, digests) follow the
/// running configuration; the socket, file and device are those given at start.
/// </summary>
public sealed class Announcer : IAsyncDisposable
{
    public static readonly TimeSpan ReassertPeriod = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan LongestSleep = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan FirstBackOff = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan LongestBackOff = TimeSpan.FromSeconds(10);

    private readonly ForwarderRuntime _runtime;
    private readonly AnnounceConfig _start;
    private readonly IBirdControl _bird;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly long[] _errors = new long[Enum.GetValues<BirdErrorKind>().Length];
    private readonly TaskCompletionSource _firstPass = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _startedAt;
    private Task? _loop;
    private volatile bool _withdrawn;
    private string? _written;
    private string? _confirmed;
    private string? _lastProblem;
    private TimeSpan _backOff = FirstBackOff;
    private long _retryAt;
    private long _nextReassert;
    private IReadOnlyList<BirdProtocol> _protocols = [];
    private AnnounceReading _reading;

    public Announcer(ForwarderRuntime runtime, AnnounceConfig config, IBirdControl bird, ILogger log, TimeProvider? time = null)
    {
        _runtime = runtime;
        _start = config;
        _bird = bird;
        _log = log;
        _time = time ?? TimeProvider.System;
        _reading = new AnnounceReading(AnnounceState.Off, false, null, [], [], AnnounceReading.NoErrors, config.BirdSocket, config.IncludeFile);
    }

    /// <summary>The latest state, for <c>/status</c> and <c>/metrics</c>.</summary>
    public AnnounceReading Reading => Volatile.Read(ref _reading);

    /// <summary>Completes after the first pass: the include file written (with no VIP during the hold-down) and BIRD asked to take it.</summary>
    public Task FirstPass => _firstPass.Task;

    /// <summary>
    /// Before anything else at start: a file left by an earlier instance (killed, so it could not empty it) may still
    /// list VIPs, which BIRD would announce as soon as the liveness device exists again — before this instance forwards.
    /// Writes a file with no VIP and asks BIRD to take it, bounded by <paramref name="bird"/>'s timeout; a failure is logged
    /// and start goes on (the announcer retries).
    /// </summary>
    public static async Task WithdrawLeftOverAsync(AnnounceConfig config, IBirdControl bird, ILogger log)
    {
        string empty = BirdIncludeFile.Render([], config.LivenessDevice);
        if (BirdIncludeFile.ReadCurrent(config.IncludeFile) is { } current && current == empty)
            return;
        if ((BirdIncludeFile.RefuseForeign(config.IncludeFile) ?? BirdIncludeFile.Write(config.IncludeFile, empty)) is { } writeError)
        {
            log.Failing(writeError);
            return;
        }
        BirdResult configured = BirdCommands.CheckConfigure(await bird.RunAsync(BirdCommands.Configure, CancellationToken.None));
        if (!configured.Succeeded)
            log.Failing(configured.Error!);
    }

    /// <summary>Starts the hold-down clock and the background loop.</summary>
    /// <summary>
    /// Set in an upgrade's successor: the predecessor's health checks served the hold-down already, and what it
    /// announced must not be withdrawn for another hold-down (<see cref="Start"/> counts it as passed).
    /// </summary>
    public bool HoldDownServed { get; init; }

    public void Start()
    {
        _startedAt = _time.GetTimestamp();
        if (HoldDownServed)
            _startedAt -= (long)(_start.HoldDown.TotalSeconds * _time.TimestampFrequency) + _time.TimestampFrequency;
        _runtime.ConfigApplied += OnConfigApplied;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Offers BIRD no VIP from now on (a drain); forwarding is not touched.</summary>
    public void Withdraw(string reason)
    {
        if (_withdrawn)
            return;
        _withdrawn = true;
        _log.Withdrawing(reason);
        Wake();
    }

    /// <summary>Runs one pass now (the loop's body): decide, write if changed, configure BIRD if it has not taken the file.</summary>
    internal async Task PassAsync(CancellationToken cancel)
    {
        AnnounceConfig policy = _runtime.Config.Announce ?? _start;
        TimeSpan sinceStart = _time.GetElapsedTime(_startedAt);
        IReadOnlyList<VipDecision> decisions = _withdrawn
            ? VipFacts.Of(_runtime.Published).Select(v => new VipDecision(v.Vip, v.Address, false, "withdrawn: the node is draining", v.Digest)).ToArray()
            : AnnouncedVips.Decide(VipFacts.Of(_runtime.Published), policy, sinceStart);
        IReadOnlyList<IPAddress> addresses = AnnouncedVips.Addresses(decisions);
        string content = BirdIncludeFile.Render(addresses, _start.LivenessDevice);
        long now = _time.GetTimestamp();
        bool reassert = now >= _nextReassert;

        if (content != _written || (reassert && BirdIncludeFile.ReadCurrent(_start.IncludeFile) != content))
        {
            if ((BirdIncludeFile.RefuseForeign(_start.IncludeFile) ?? BirdIncludeFile.Write(_start.IncludeFile, content)) is { } writeError)
            {
                Failed(BirdErrorKind.Write, writeError, now);
                Publish(decisions, sinceStart, policy);
                return;
            }
            _written = content;
            _confirmed = null;
        }

        if (_confirmed != content && now >= _retryAt)
        {
            BirdResult configured = BirdCommands.CheckConfigure(await _bird.RunAsync(BirdCommands.Configure, cancel));
            if (configured.Succeeded)
            {
                _confirmed = content;
                Recovered();
                _log.Offered(_start.IncludeFile, addresses.Count, addresses.Count == 0 ? "none" : string.Join(", ", addresses));
            }
            else
            {
                Failed(configured.ErrorKind!.Value, configured.Error!, now);
            }
        }

        if (reassert)
        {
            _nextReassert = now + (long)(ReassertPeriod.TotalSeconds * _time.TimestampFrequency);
            await ReadProtocolsAsync(cancel);
        }
        Publish(decisions, sinceStart, policy);
    }

    private async Task ReadProtocolsAsync(CancellationToken cancel)
    {
        BirdResult shown = await _bird.RunAsync(BirdCommands.ShowProtocols, cancel);
        if (!shown.Succeeded)
        {
            Failed(shown.ErrorKind!.Value, shown.Error!, _time.GetTimestamp());
            _protocols = [];
            return;
        }
        _protocols = BirdCommands.ReadProtocols(shown.Reply!);
        // A BIRD restarted with a configuration that does not (yet) include the file runs neither protocol: ask again.
        if (_confirmed is not null && _protocols.All(p => p.Name != BirdIncludeFile.Protocol4))
        {
            _log.ProtocolMissing(BirdIncludeFile.Protocol4, _start.IncludeFile);
            _confirmed = null;
        }
    }

    private void Publish(IReadOnlyList<VipDecision> decisions, TimeSpan sinceStart, AnnounceConfig policy)
    {
        bool confirmed = _confirmed is not null && _confirmed == _written;
        AnnounceState state = !confirmed ? AnnounceState.Unconfirmed
            : decisions.Any(d => d.Allowed) ? AnnounceState.Announcing
            : !_withdrawn && sinceStart < policy.HoldDown ? AnnounceState.Off
            : AnnounceState.Withdrawn;
        var errors = Enum.GetValues<BirdErrorKind>().ToDictionary(k => k, k => Interlocked.Read(ref _errors[(int)k]));
        Volatile.Write(ref _reading, new AnnounceReading(state, confirmed, _lastProblem, decisions, _protocols, errors, _start.BirdSocket, _start.IncludeFile));
    }

    private void Failed(BirdErrorKind kind, string error, long now)
    {
        Interlocked.Increment(ref _errors[(int)kind]);
        _retryAt = now + (long)(_backOff.TotalSeconds * _time.TimestampFrequency);
        _backOff = TimeSpan.FromTicks(Math.Min(_backOff.Ticks * 2, LongestBackOff.Ticks));
        string problem = $"{kind}: {error}";
        if (problem != _lastProblem)
            _log.Failing(error);
        _lastProblem = problem;
    }

    private void Recovered()
    {
        _backOff = FirstBackOff;
        _retryAt = 0;
        _lastProblem = null;
    }

    private async Task RunAsync(CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            try
            {
                await PassAsync(cancel);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) // a fault here must never end the process or touch forwarding
            {
                _log.Fault(e.Message);
            }
            _firstPass.TrySetResult();
            await SleepAsync(cancel);
        }
        _firstPass.TrySetResult();
    }

    /// <summary>Until a change is published, the hold-down ends, a retry is due, or at most <see cref="LongestSleep"/>.</summary>
    private async Task SleepAsync(CancellationToken cancel)
    {
        TimeSpan sleep = LongestSleep;
        AnnounceConfig policy = _runtime.Config.Announce ?? _start;
        TimeSpan holdDownLeft = policy.HoldDown - _time.GetElapsedTime(_startedAt);
        if (holdDownLeft > TimeSpan.Zero && holdDownLeft < sleep)
            sleep = holdDownLeft;
        if (_retryAt > 0)
        {
            TimeSpan retryLeft = TimeSpan.FromSeconds((double)(_retryAt - _time.GetTimestamp()) / _time.TimestampFrequency);
            if (retryLeft > TimeSpan.Zero && retryLeft < sleep)
                sleep = retryLeft;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(sleep + TimeSpan.FromMilliseconds(1));
        try
        {
            await _wake.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // The sleep ended (or the announcer stops: the loop sees it).
        }
    }

    private void OnConfigApplied(ForwarderConfig config) => Wake();

    private void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Stops the loop, then offers BIRD no VIP (the file emptied, <c>configure</c> bounded by the client's timeout).</summary>
    public async ValueTask DisposeAsync()
    {
        _runtime.ConfigApplied -= OnConfigApplied;
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (Exception e) // already logged by the loop; stopping goes on
            {
                _log.Fault(e.Message);
            }
        }
        string empty = BirdIncludeFile.Render([], _start.LivenessDevice);
        if (_written is not null && _written != empty && BirdIncludeFile.RefuseForeign(_start.IncludeFile) is null && BirdIncludeFile.Write(_start.IncludeFile, empty) is null)
            await _bird.RunAsync(BirdCommands.Configure, CancellationToken.None);
        _stop.Dispose();
    }
}
