using System.Runtime.Versioning;
using Forwarder.Api;
using Forwarder.Cli;

namespace Forwarder.Tests.Api;

/// <summary><c>POST /upgrade</c> and <c>forwarder upgrade</c>: the answer for each outcome, and bodies that are not an upgrade's refused before anything runs.</summary>
[SupportedOSPlatform("linux")]
public sealed class UpgradeEndpointTests : IAsyncLifetime
{
    private TestApi _api = null!;
    private readonly List<(string? Binary, string Trigger)> _calls = [];

    public async Task InitializeAsync() => _api = await TestApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private void Answer(string result, string message) =>
        _api.Forwarder.Upgrader = (binary, trigger) =>
        {
            _calls.Add((binary, trigger));
            return new UpgradeReply(result, message, 4242, 3.5, 1);
        };

    [Fact]
    public async Task An_upgrade_answers_200_and_the_cli_prints_it()
    {
        Answer("upgraded", "pid 4242 forwards now; the workers paused 3.5 ms");

        (int exit, string output, string errors) = await CliRun.Invoke("upgrade", "--binary", "relative/forwarder", "--api", _api.Address);

        Assert.Equal(0, exit);
        Assert.Equal("upgraded: pid 4242 forwards now; the workers paused 3.5 ms\n", output);
        Assert.Equal("", errors);
        Assert.Equal((Path.GetFullPath("relative/forwarder"), UpgradeEndpoint.Trigger), _calls.Single());
    }

    [Theory]
    [InlineData("rolled back", 502)]
    [InlineData("refused", 409)]
    public async Task A_failed_upgrade_answers_its_status_and_the_cli_exits_1(string result, int status)
    {
        Answer(result, "the new process exited with code 3 before it was ready");

        ApiResponse response = await _api.Send(HttpMethod.Post, "/upgrade", "{}");
        (int exit, string output, string errors) = await CliRun.Invoke("upgrade", "--api", _api.Address);

        Assert.Equal(status, response.Status);
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Equal($"{result}: the new process exited with code 3 before it was ready\n", errors);
        Assert.All(_calls, call => Assert.Null(call.Binary));
    }

    [Theory]
    [InlineData("[1]", "must be a JSON object")]
    [InlineData("{\"binary\": 5}", "'binary' is not a field")]
    [InlineData("{\"binaries\": \"/x\"}", "'binaries' is not a field")]
    [InlineData("{\"binary\": \"\"}", "give the path")]
    [InlineData("{\"binary\": \"/x\\u0000y\"}", "give the path")]
    [InlineData("{\"binary\": ", "not JSON")]
    public async Task A_body_that_is_not_an_upgrade_is_refused_and_nothing_runs(string body, string expected)
    {
        Answer("upgraded", "should not run");

        ApiResponse response = await _api.Send(HttpMethod.Post, "/upgrade", body);

        Assert.Equal(400, response.Status);
        Assert.Contains(expected, string.Join(" ", response.Errors()));
        Assert.Empty(_calls);
    }

    [Fact]
    public async Task A_forwarder_that_cannot_be_upgraded_answers_409()
    {
        ApiResponse response = await _api.Send(HttpMethod.Post, "/upgrade", null);

        Assert.Equal(409, response.Status);
        Assert.Contains("cannot be upgraded", string.Join(" ", response.Errors()));
    }
}
