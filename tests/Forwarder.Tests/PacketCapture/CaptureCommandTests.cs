using System.CommandLine;
using System.Diagnostics;
using System.Runtime.Versioning;
using Forwarder.Api;
using Forwarder.Capture;
using Forwarder.Cli;
using Forwarder.DataPlane;
using Forwarder.Tests.Api;
using Forwarder.Tests.LoadBalancing;
using Forwarder.Tests.LoadBalancing.Fixtures;
using Forwarder.Tests.Packets;

namespace Forwarder.Tests.PacketCapture;

/// <summary>
/// <c>forwarder capture</c> against the real control API, with a simulated worker (the real load balancer wrapped for
/// capture, run on a thread of its own) in place of the device's.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class CaptureCommandTests : IDisposable
{
    private static readonly byte[] ToVip = Expect.Arriving(FrameBuilder.Ipv4("192.168.1.1", "10.100.0.1").Tcp(31337, 80, payload: 40).Build());
    private static readonly byte[] ToNoVip = Expect.Arriving(FrameBuilder.Ipv4("192.168.1.2", "10.100.9.9").Tcp(40000, 80).Build());

    private readonly CaptureSwitch _capture = new();
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("forwarder-capture-");
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _worker;

    public CaptureCommandTests()
    {
        _worker = new Thread(RunWorker) { IsBackground = true, Name = "capture-test-worker" };
        _worker.Start();
    }

    private string FilePath => Path.Combine(_directory.FullName, "out.pcapng");

    [Fact]
    public async Task A_capture_of_a_count_writes_both_sides_of_each_frame_and_reports_overflow()
    {
        await using TestApi api = await Start();
        (int code, string output, string errors) = await Run("capture", "--api", api.Address, "--vip", "10.100.0.1:80/tcp", "--count", "3", "-w", FilePath);

        Assert.True(code == 0, errors);
        PcapngFile file = PcapngFile.Read(await File.ReadAllBytesAsync(FilePath));
        Assert.Equal([0u, 1u, 0u, 1u, 0u, 1u], file.Packets.Select(p => p.InterfaceId));
        Assert.Equal(ToVip, file.Packets[0].Data);
        Assert.Equal(4, file.Packets[1].Data[14] >> 4); // the IPIP frame: outer IPv4
        Assert.Equal(4 /* IPIP */, file.Packets[1].Data[14 + 9]);
        Assert.Equal(3ul, Assert.Single(file.Stats).Received);
        Assert.Contains("3 frame(s) received (3 transmitted, 0 dropped)", output);
        Assert.Contains("lost to capture ring overflow", output);
        await WaitStopped();
    }

    [Fact]
    public async Task Drops_are_captured_with_their_reason()
    {
        await using TestApi api = await Start();
        (int code, _, string errors) = await Run("capture", "--api", api.Address, "--drop-reason", "unknown_vip", "-c", "2", "-w", FilePath);

        Assert.True(code == 0, errors);
        PcapngFile file = PcapngFile.Read(await File.ReadAllBytesAsync(FilePath));
        Assert.Equal(2, file.Packets.Count);
        Assert.All(file.Packets, p => Assert.Equal((2u, "drop: unknown_vip"), (p.InterfaceId, p.Comment)));
        Assert.Equal(ToNoVip, file.Packets[0].Data);
    }

    [Fact]
    public async Task A_second_capture_is_refused_while_one_runs_and_a_disconnecting_client_stops_the_capture()
    {
        await using TestApi api = await Start();
        using var first = new CancellationTokenSource();
        Task<(int, string, string)> running = Run(first.Token, "capture", "--api", api.Address, "-w", FilePath);
        await Until(() => _capture.Taps is not null);

        (int code, _, string errors) = await Run("capture", "--api", api.Address, "-w", Path.Combine(_directory.FullName, "second.pcapng"));
        Assert.Equal(1, code);
        Assert.Contains("a capture is running already (one at a time)", errors);

        await Until(() => File.Exists(FilePath) && new FileInfo(FilePath).Length > 0); // the header blocks arrived (a loaded machine may take a while)
        first.Cancel(); // Ctrl-C: the client goes away
        (int firstCode, string output, _) = await running;
        Assert.Equal(0, firstCode);
        Assert.Contains("interrupted", output);
        await WaitStopped();
        PcapngFile file = PcapngFile.Read(await File.ReadAllBytesAsync(FilePath)); // whole blocks only
        Assert.Equal(3, file.Interfaces.Count);
    }

    [Fact]
    public async Task The_api_stopping_ends_the_capture_and_the_cli_says_so()
    {
        TestApi api = await Start();
        Task<(int, string, string)> running = Run("capture", "--api", api.Address, "-w", FilePath);
        await Until(() => _capture.Taps is not null);
        var stopping = Stopwatch.StartNew();
        await api.DisposeAsync();

        (int code, _, string errors) = await running;
        Assert.Equal(1, code);
        Assert.True(errors.Contains("the forwarder ended the capture early", StringComparison.Ordinal), errors);
        Assert.Null(_capture.Taps);
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(1.5), $"the API took {stopping.Elapsed} to stop with a capture running (its stop timeout is 2 s)");
        PcapngFile.Read(await File.ReadAllBytesAsync(FilePath));
    }

    [Fact]
    public async Task A_file_that_cannot_be_written_stops_the_capture_with_a_clear_error()
    {
        await using TestApi api = await Start();
        (int code, _, string errors) = await Run("capture", "--api", api.Address, "-w", "/dev/full");

        Assert.Equal(1, code);
        Assert.Contains("writing /dev/full failed", errors);
        Assert.Contains("the capture was stopped (forwarding goes on)", errors);
        await WaitStopped();

        (code, _, errors) = await Run("capture", "--api", api.Address, "-w", Path.Combine(_directory.FullName, "no-such-dir", "x.pcapng"));
        Assert.Equal(1, code);
        Assert.Contains("cannot write", errors);
    }

    [Fact]
    public async Task Bad_values_are_refused_and_start_nothing()
    {
        await using TestApi api = await Start();
        (int code, _, string errors) = await Run("capture", "--api", api.Address, "--vip", "10.0.0", "--count", "0", "-w", FilePath);

        Assert.Equal(1, code);
        Assert.Contains("vip '10.0.0'", errors);
        Assert.Contains("count '0'", errors);
        Assert.Null(_capture.Taps);

        ApiResponse response = await api.Send(HttpMethod.Post, "/capture?vipp=1");
        Assert.Equal(400, response.Status);
        Assert.Contains("unknown query parameter", response.Body);
        Assert.Contains("vipp", response.Body);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _worker.Join(TimeSpan.FromSeconds(10));
        _directory.Delete(recursive: true);
    }

    private async Task<TestApi> Start()
    {
        var forwarder = new TestForwarder { Capture = new CapturePoint(_capture, Workers: 1) };
        return await TestApi.StartAsync(forwarder);
    }

    /// <summary>A worker that receives the two frames again and again, a batch every millisecond, until the test ends.</summary>
    private void RunWorker()
    {
        using var bed = new LoadBalancerBed(capture: _capture);
        byte[][] frames = [ToVip, ToNoVip];
        long deadline = Stopwatch.GetTimestamp() + 120 * Stopwatch.Frequency;
        while (!_stop.IsCancellationRequested && Stopwatch.GetTimestamp() < deadline)
        {
            bed.Run(frames);
            Thread.Sleep(1);
        }
    }

    private async Task WaitStopped() => await Until(() => _capture.Taps is null);

    private static async Task Until(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
            await Task.Delay(20);
        Assert.True(condition(), "condition not reached within 10 s");
    }

    private static Task<(int, string, string)> Run(params string[] args) => Run(CancellationToken.None, args);

    private static async Task<(int ExitCode, string Output, string Errors)> Run(CancellationToken cancel, params string[] args)
    {
        var root = new RootCommand { CaptureCommand.Create() };
        var output = new StringWriter();
        var errors = new StringWriter();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        int exitCode = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = errors }, timeout.Token);
        return (exitCode, output.ToString(), errors.ToString());
    }
}
