using System.Runtime.Versioning;
using System.Text;
using Forwarder.Announce;

namespace Forwarder.Tests.Announce;

/// <summary>BIRD's control socket as a hostile or broken peer may answer it: every case ends in a result, never an exception or a hang.</summary>
[SupportedOSPlatform("linux")]
public sealed class BirdControlClientTests
{
    /// <summary>Long enough for any answer on a loaded machine; the timeout tests give their own.</summary>
    private static readonly TimeSpan Patient = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);

    private static Task<BirdResult> Run(FakeBird bird, string command = BirdCommands.Configure, int maxBytes = BirdControlClient.DefaultMaxReplyBytes, TimeSpan? timeout = null) =>
        new BirdControlClient(bird.SocketPath, timeout ?? Patient, maxBytes).RunAsync(command, CancellationToken.None);

    [Fact]
    public async Task Configure_is_answered_reconfigured()
    {
        using var bird = new FakeBird();
        BirdResult result = BirdCommands.CheckConfigure(await Run(bird));
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(3, result.Reply!.Code);
        Assert.Equal([2, 3], result.Reply.Lines.Select(l => l.Code));
        Assert.Equal(["configure"], bird.Commands);
    }

    [Theory]
    [InlineData("0004 Reconfiguration in progress\n")]
    [InlineData("0005 Reconfiguration already in progress, queueing new config\n")]
    [InlineData("0019 Nothing to do\n")]
    [InlineData("+spontaneous printout\n0003 Reconfigured\n")]
    public async Task Other_acceptances_of_configure_succeed(string answer)
    {
        using var bird = new FakeBird { Answer = _ => FakeBird.Text(answer) };
        BirdResult result = BirdCommands.CheckConfigure(await Run(bird));
        Assert.True(result.Succeeded, result.Error);
    }

    [Fact]
    public async Task A_configuration_error_is_refused_with_birds_text()
    {
        using var bird = new FakeBird { Answer = _ => FakeBird.Text("0002-Reading configuration from /etc/bird/bird.conf\n8002 /run/forwarder/bird-vips.conf:2:40 syntax error\n") };
        BirdResult result = BirdCommands.CheckConfigure(await Run(bird));
        Assert.Equal(BirdErrorKind.Refused, result.ErrorKind);
        Assert.Contains("8002 /run/forwarder/bird-vips.conf:2:40 syntax error", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configure_ignored_while_shutting_down_is_a_failure()
    {
        using var bird = new FakeBird { Answer = _ => FakeBird.Text("0006 Reconfiguration ignored, shutting down\n") };
        Assert.Equal(BirdErrorKind.Refused, BirdCommands.CheckConfigure(await Run(bird)).ErrorKind);
    }

    [Fact]
    public async Task A_parse_error_of_the_command_is_refused()
    {
        using var bird = new FakeBird { Answer = _ => FakeBird.Text("9001 syntax error, unexpected CF_SYM_UNDEFINED\n") };
        BirdResult result = await Run(bird, "show protocols all");
        Assert.Equal(BirdErrorKind.Refused, result.ErrorKind);
    }

    [Fact]
    public async Task No_socket_is_unreachable()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"no-bird-{Guid.NewGuid():N}.ctl");
        BirdResult result = await new BirdControlClient(missing, Short).RunAsync("configure", CancellationToken.None);
        Assert.Equal(BirdErrorKind.Unreachable, result.ErrorKind);
        Assert.Contains(missing, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\n")]
    [InlineData("hello\n")]
    [InlineData("00x1 BIRD\n")]
    [InlineData(" continuation first\n")]
    [InlineData("\0\0\0\0\0\n")]
    public async Task Garbage_is_a_protocol_error(string greeting)
    {
        using var bird = new FakeBird { Greeting = greeting };
        BirdResult result = await Run(bird);
        Assert.Equal(BirdErrorKind.Protocol, result.ErrorKind);
    }

    [Fact]
    public async Task A_greeting_other_than_ready_is_a_protocol_error()
    {
        using var bird = new FakeBird { Greeting = "0016 Access restricted\n" };
        BirdResult result = await Run(bird);
        Assert.Equal(BirdErrorKind.Protocol, result.ErrorKind);
        Assert.Contains("0016", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hung_peer_times_out()
    {
        using var bird = new FakeBird { Answer = _ => null };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        BirdResult result = await Run(bird, timeout: Short);
        Assert.Equal(BirdErrorKind.Timeout, result.ErrorKind);
        Assert.InRange(clock.Elapsed, Short * 0.9, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_peer_that_never_greets_times_out()
    {
        using var bird = new FakeBird { Greeting = "0001-BIRD" };
        Assert.Equal(BirdErrorKind.Timeout, (await Run(bird, timeout: Short)).ErrorKind);
    }

    [Fact]
    public async Task A_peer_closing_mid_reply_is_unreachable()
    {
        using var bird = new FakeBird { Answer = _ => FakeBird.Text("0002-Reading configuration\n0003-Reconf"), CloseAfterAnswer = true };
        BirdResult result = await Run(bird);
        Assert.Equal(BirdErrorKind.Unreachable, result.ErrorKind);
        Assert.Contains("closed the connection", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_huge_reply_is_cut_off_at_the_bound()
    {
        byte[] huge = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("1002-proto BGP --- up 00:00 Established\n", 10_000)));
        using var bird = new FakeBird { Answer = _ => huge };
        BirdResult result = await Run(bird, "show protocols all", maxBytes: 64 * 1024);
        Assert.Equal(BirdErrorKind.Protocol, result.ErrorKind);
        Assert.Contains("larger than 65536 bytes", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_huge_line_without_an_end_is_cut_off_at_the_bound()
    {
        using var bird = new FakeBird { Answer = _ => new byte[256 * 1024] };
        BirdResult result = await Run(bird, "show protocols all", maxBytes: 64 * 1024);
        Assert.Equal(BirdErrorKind.Protocol, result.ErrorKind);
    }

    [Fact]
    public async Task A_command_with_a_line_break_is_never_sent()
    {
        using var bird = new FakeBird();
        BirdResult result = await Run(bird, "configure\ndown");
        Assert.Equal(BirdErrorKind.Protocol, result.ErrorKind);
        Assert.Empty(bird.Commands);
    }

    [Fact]
    public async Task Show_protocols_gives_each_protocol_and_whether_it_is_up()
    {
        const string answer = "2002-Name       Proto      Table      State  Since         Info\n" +
            "1002-device1    Device     ---        up     23:40:11.123  \n" +
            " forwarder_vips4 Static     master4    up     23:40:11.123  \n" +
            "1002-rtr        BGP        ---        up     23:40:12.456  Established   \n" +
            "1006-  BGP state:          Established\n" +
            "    Neighbor address: 10.30.11.1\n" +
            "1002-rtr2       BGP        ---        start  23:40:12.456  Active        Socket: Connection refused\n" +
            "1002-bfd1       BFD        ---        up     23:40:11.123  \n" +
            "0000 \n";
        using var bird = new FakeBird { Answer = _ => FakeBird.Text(answer) };
        BirdResult result = await Run(bird, BirdCommands.ShowProtocols);
        Assert.True(result.Succeeded, result.Error);
        IReadOnlyList<BirdProtocol> protocols = BirdCommands.ReadProtocols(result.Reply!);
        Assert.Equal(
            [new("device1", "Device", true), new("forwarder_vips4", "Static", true), new("rtr", "BGP", true), new("rtr2", "BGP", false), new("bfd1", "BFD", true)],
            protocols);
    }

    [Fact]
    public void A_reply_listing_thousands_of_protocols_keeps_a_bounded_number()
    {
        var lines = Enumerable.Range(0, 5000).Select(i => new BirdReplyLine(1002, $"p{i} BGP --- up 00:00 Established")).Append(new BirdReplyLine(0, "")).ToArray();
        IReadOnlyList<BirdProtocol> protocols = BirdCommands.ReadProtocols(new BirdReply(lines));
        Assert.Equal(BirdCommands.MaxProtocols, protocols.Count);
        Assert.Equal("p0", protocols[0].Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("a b c")]
    public void Short_protocol_lines_are_skipped(string text)
    {
        Assert.Empty(BirdCommands.ReadProtocols(new BirdReply([new BirdReplyLine(1002, text), new BirdReplyLine(0, "")])));
    }
}
