using System.Runtime.Versioning;
using Forwarder.Announce;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.Tests.Configuration;
using Forwarder.Tests.ControlPlane;
using Forwarder.Tests.LoadBalancing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forwarder.Tests.Announce;

/// <summary>The announcer against a fake BIRD on a real Unix socket and a real runtime: what it writes, when it configures, how it fails.</summary>
[SupportedOSPlatform("linux")]
public sealed class AnnouncerTests : IDisposable
{
    private readonly FakeBird _bird = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("announcer-").FullName;

    private string IncludeFile => Path.Combine(_directory, "forwarder", "bird-vips.conf");

    private const string Route = "route 10.100.0.1/32 via \"fwd0\";";

    private ForwarderRuntime Runtime(string holdDown = "0s", string? socket = null) => new(TestConfigs.LoadValid(ConfigBuilder.WithoutVips()
        .Setting($"""
            announce:
              bird_socket: {socket ?? _bird.SocketPath}
              include_file: {IncludeFile}
              hold_down: {holdDown}
            """)
        .Vip("10.100.0.1", 80, "tcp", v => v.Backends("10.0.0.1", "10.0.0.2"))
        .ToYaml()), LoadBalancerConfigs.OwnMac, 1, new FakeSteeringMaps());

    private static Announcer NewAnnouncer(ForwarderRuntime runtime) =>
        new(runtime, runtime.Config.Announce!, new BirdControlClient(runtime.Config.Announce!.BirdSocket, TimeSpan.FromSeconds(2)), NullLogger.Instance);

    private static void MarkAll(ForwarderRuntime runtime, bool healthy) =>
        runtime.SetHealth(runtime.Config.Vips[0].Backends.Select(b => (VipIdentity.Of(runtime.Config.Vips[0]), b.Id)), healthy);

    [Fact]
    public async Task A_vip_with_healthy_backends_is_written_and_bird_configured()
    {
        ForwarderRuntime runtime = Runtime();
        await using Announcer announcer = NewAnnouncer(runtime);
        await announcer.PassAsync(CancellationToken.None);

        Assert.Contains(Route, File.ReadAllText(IncludeFile), StringComparison.Ordinal);
        Assert.Equal([BirdCommands.Configure, BirdCommands.ShowProtocols], _bird.Commands);
        AnnounceReading reading = announcer.Reading;
        Assert.True(reading.BirdConfirmed);
        Assert.True(reading.IsAnnounced(reading.Vips.Single()));
        Assert.Equal(0, reading.Errors.Values.Sum());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_upgrades_successor_announces_at_once_where_a_fresh_start_holds_down(bool holdDownServed)
    {
        ForwarderRuntime runtime = Runtime(holdDown: "1h");
        await using Announcer announcer = new(runtime, runtime.Config.Announce!, new BirdControlClient(runtime.Config.Announce!.BirdSocket, TimeSpan.FromSeconds(2)),
            NullLogger.Instance) { HoldDownServed = holdDownServed };
        announcer.Start();
        await announcer.FirstPass.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(holdDownServed, File.ReadAllText(IncludeFile).Contains(Route, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unchanged_set_is_not_written_or_configured_again()
    {
        ForwarderRuntime runtime = Runtime();
        await using Announcer announcer = NewAnnouncer(runtime);
        _bird.Answer = command => FakeBird.Text(command == BirdCommands.Configure ? "0003 Reconfigured\n" : "1002-forwarder_vips4 Static master4 up 00:00\n0000 \n");
        await announcer.PassAsync(CancellationToken.None);
        await announcer.PassAsync(CancellationToken.None);
        await announcer.PassAsync(CancellationToken.None);
        Assert.Equal(1, _bird.Commands.Count(c => c == BirdCommands.Configure));
        Assert.Equal(AnnounceState.Announcing, announcer.Reading.State);
    }

    [Fact]
    public async Task Losing_the_healthy_backends_withdraws_the_vip_and_regaining_them_announces_it()
    {
        ForwarderRuntime runtime = Runtime();
        await using Announcer announcer = NewAnnouncer(runtime);
        await announcer.PassAsync(CancellationToken.None);

        MarkAll(runtime, healthy: false);
        await announcer.PassAsync(CancellationToken.None);
        Assert.DoesNotContain("route", File.ReadAllText(IncludeFile), StringComparison.Ordinal);
        Assert.Equal(AnnounceState.Withdrawn, announcer.Reading.State);
        Assert.Contains("0 healthy backend(s)", announcer.Reading.Vips.Single().Reason, StringComparison.Ordinal);

        MarkAll(runtime, healthy: true);
        await announcer.PassAsync(CancellationToken.None);
        Assert.Contains(Route, File.ReadAllText(IncludeFile), StringComparison.Ordinal);
        Assert.Equal(3, _bird.Commands.Count(c => c == BirdCommands.Configure));
    }

    [Fact]
    public async Task Without_bird_the_file_is_written_the_error_counted_and_nothing_claimed()
    {
        ForwarderRuntime runtime = Runtime(socket: Path.Combine(_directory, "no-bird.ctl"));
        await using Announcer announcer = NewAnnouncer(runtime);
        await announcer.PassAsync(CancellationToken.None);

        Assert.Contains(Route, File.ReadAllText(IncludeFile), StringComparison.Ordinal);
        AnnounceReading reading = announcer.Reading;
        Assert.Equal(AnnounceState.Unconfirmed, reading.State);
        Assert.False(reading.IsAnnounced(reading.Vips.Single()));
        Assert.True(reading.Errors[BirdErrorKind.Unreachable] >= 1);
        Assert.Contains("no-bird.ctl", reading.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_configure_is_retried_after_a_back_off_until_bird_takes_it()
    {
        ForwarderRuntime runtime = Runtime();
        await using Announcer announcer = NewAnnouncer(runtime);
        int refusals = 1;
        _bird.Answer = command => FakeBird.Text(command != BirdCommands.Configure ? "0000 \n"
            : Interlocked.Decrement(ref refusals) >= 0 ? "8002 bird.conf:3:1 syntax error\n" : "0003 Reconfigured\n");
        await announcer.PassAsync(CancellationToken.None);
        Assert.Equal(AnnounceState.Unconfirmed, announcer.Reading.State);
        Assert.Equal(1, announcer.Reading.Errors[BirdErrorKind.Refused]);

        await announcer.PassAsync(CancellationToken.None); // within the back-off: not asked again
        Assert.Equal(1, _bird.Commands.Count(c => c == BirdCommands.Configure));

        await Task.Delay(Forwarder.Announce.Announcer.FirstBackOff + TimeSpan.FromMilliseconds(50));
        await announcer.PassAsync(CancellationToken.None);
        Assert.Equal(2, _bird.Commands.Count(c => c == BirdCommands.Configure));
        Assert.True(announcer.Reading.BirdConfirmed);
        Assert.Null(announcer.Reading.LastError);
    }

    [Fact]
    public async Task A_bird_running_without_the_protocols_is_configured_again()
    {
        ForwarderRuntime runtime = Runtime();
        await using Announcer announcer = NewAnnouncer(runtime);
        _bird.Answer = command => FakeBird.Text(command == BirdCommands.Configure ? "0003 Reconfigured\n" : "1002-rtr BGP --- up 00:00 Established\n0000 \n");
        await announcer.PassAsync(CancellationToken.None);
        Assert.False(announcer.Reading.BirdConfirmed);
        await announcer.PassAsync(CancellationToken.None);
        Assert.Equal(2, _bird.Commands.Count(c => c == BirdCommands.Configure));
        Assert.Equal([new BirdProtocol("rtr", "BGP", true)], announcer.Reading.Protocols);
    }

    [Fact]
    public async Task The_running_announcer_holds_down_then_follows_health_and_empties_the_file_when_stopped()
    {
        ForwarderRuntime runtime = Runtime(holdDown: "300ms");
        Announcer announcer = NewAnnouncer(runtime);
        announcer.Start();
        await announcer.FirstPass.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(AnnounceState.Off, announcer.Reading.State);
        Assert.DoesNotContain("route", File.ReadAllText(IncludeFile), StringComparison.Ordinal);

        await Until(() => announcer.Reading.State == AnnounceState.Announcing);
        Assert.Contains(Route, File.ReadAllText(IncludeFile), StringComparison.Ordinal);

        MarkAll(runtime, healthy: false);
        await Until(() => announcer.Reading.State == AnnounceState.Withdrawn);

        MarkAll(runtime, healthy: true);
        await Until(() => announcer.Reading.State == AnnounceState.Announcing);
        await announcer.DisposeAsync();
        Assert.DoesNotContain("route", File.ReadAllText(IncludeFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_withdrawn_node_offers_no_vip_whatever_its_health()
    {
        ForwarderRuntime runtime = Runtime();
        await using Announcer announcer = NewAnnouncer(runtime);
        await announcer.PassAsync(CancellationToken.None);
        announcer.Withdraw("drain");
        await announcer.PassAsync(CancellationToken.None);
        Assert.DoesNotContain("route", File.ReadAllText(IncludeFile), StringComparison.Ordinal);
        Assert.Equal(AnnounceState.Withdrawn, announcer.Reading.State);
        Assert.Contains("draining", announcer.Reading.Vips.Single().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_cannot_be_written_is_counted_and_forwarding_state_is_untouched()
    {
        File.WriteAllText(Path.Combine(_directory, "forwarder"), "a file where the directory should be");
        ForwarderRuntime runtime = Runtime();
        long version = runtime.Published.Snapshot.Version;
        await using Announcer announcer = NewAnnouncer(runtime);
        await announcer.PassAsync(CancellationToken.None);
        Assert.Equal(1, announcer.Reading.Errors[BirdErrorKind.Write]);
        Assert.Equal(AnnounceState.Unconfirmed, announcer.Reading.State);
        Assert.Empty(_bird.Commands);
        Assert.Equal(version, runtime.Published.Snapshot.Version);
    }

    [Fact]
    public async Task A_file_left_by_an_earlier_instance_is_emptied_and_taken_before_start()
    {
        ForwarderRuntime runtime = Runtime();
        AnnounceConfig announce = runtime.Config.Announce!;
        Directory.CreateDirectory(Path.GetDirectoryName(IncludeFile)!);
        File.WriteAllText(IncludeFile, BirdIncludeFile.Render([System.Net.IPAddress.Parse("10.100.0.1")], "fwd0"));
        await Forwarder.Announce.Announcer.WithdrawLeftOverAsync(announce, new BirdControlClient(announce.BirdSocket, TimeSpan.FromSeconds(2)), NullLogger.Instance);
        Assert.Equal(BirdIncludeFile.Render([], "fwd0"), File.ReadAllText(IncludeFile));
        Assert.Equal([BirdCommands.Configure], _bird.Commands);

        await Forwarder.Announce.Announcer.WithdrawLeftOverAsync(announce, new BirdControlClient(announce.BirdSocket, TimeSpan.FromSeconds(2)), NullLogger.Instance);
        Assert.Single(_bird.Commands); // already empty: BIRD is not asked again
    }

    [Fact]
    public async Task Emptying_a_left_over_file_without_bird_does_not_hold_up_the_start()
    {
        ForwarderRuntime runtime = Runtime(socket: Path.Combine(_directory, "no-bird.ctl"));
        AnnounceConfig announce = runtime.Config.Announce!;
        await Forwarder.Announce.Announcer.WithdrawLeftOverAsync(announce, new BirdControlClient(announce.BirdSocket, TimeSpan.FromSeconds(2)), NullLogger.Instance)
            .WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(BirdIncludeFile.Render([], "fwd0"), File.ReadAllText(IncludeFile));
    }

    [Fact]
    public async Task A_file_the_forwarder_did_not_write_is_never_overwritten()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(IncludeFile)!);
        const string birdConfig = "router id 10.0.0.1;\nprotocol device { }\n";
        File.WriteAllText(IncludeFile, birdConfig);
        ForwarderRuntime runtime = Runtime();
        AnnounceConfig announce = runtime.Config.Announce!;

        await Forwarder.Announce.Announcer.WithdrawLeftOverAsync(announce, new BirdControlClient(announce.BirdSocket, TimeSpan.FromSeconds(2)), NullLogger.Instance);
        await using (Announcer announcer = NewAnnouncer(runtime))
        {
            await announcer.PassAsync(CancellationToken.None);
            Assert.Equal(1, announcer.Reading.Errors[BirdErrorKind.Write]);
            Assert.Contains("was not written by the forwarder", announcer.Reading.LastError, StringComparison.Ordinal);
        }
        Assert.Equal(birdConfig, File.ReadAllText(IncludeFile));
        Assert.Empty(_bird.Commands);
    }

    private static async Task Until(Func<bool> condition)
    {
        for (int i = 0; i < 100 && !condition(); i++)
            await Task.Delay(50);
        Assert.True(condition(), "the announcer did not get there within 5 s");
    }

    public void Dispose()
    {
        _bird.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
