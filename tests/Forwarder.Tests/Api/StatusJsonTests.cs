using System.Runtime.Versioning;
using System.Text.Json;

namespace Forwarder.Tests.Api;

/// <summary><c>forwarder status [--json]</c>: the status as one JSON document, and a clear error when what answers is not a forwarder.</summary>
[SupportedOSPlatform("linux")]
public sealed class StatusJsonTests : IAsyncLifetime
{
    private TestApi _api = null!;

    public async Task InitializeAsync() => _api = await TestApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Json_has_the_fields_of_get_status_in_snake_case()
    {
        JsonElement api = await _api.GetJson("/status");

        (int exitCode, string output, string errors) = await CliRun.Invoke("status", "--json", "--api", _api.Address);

        Assert.True(exitCode == 0, errors);
        JsonElement printed = JsonDocument.Parse(output).RootElement;
        Assert.Equal(api.EnumerateObject().Select(p => p.Name), printed.EnumerateObject().Select(p => p.Name));
        Assert.Equal("eth0", printed.GetProperty("interface").GetString());
        JsonElement vip = printed.GetProperty("vips")[0];
        Assert.Equal(_api.Forwarder.Runtime.Snapshots.Current.Vips[0].Digest, vip.GetProperty("digest").GetString());
        Assert.Equal("up", vip.GetProperty("backends")[0].GetProperty("health").GetString());
        Assert.Equal(1000, printed.GetProperty("queues")[0].GetProperty("rx_packets").GetInt64());
    }

    [Theory]
    [InlineData("<html>not a forwarder</html>")]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("{\"version\": \"one\"}")]
    public async Task An_answer_that_is_not_a_status_is_a_clear_error_and_exit_1(string body)
    {
        using var garbage = new GarbageApi(body);

        foreach (string[] args in new[] { new[] { "status", "--json", "--api", garbage.Address }, new[] { "status", "--api", garbage.Address } })
        {
            (int exitCode, string output, string errors) = await CliRun.Invoke(args);

            Assert.Equal(1, exitCode);
            Assert.Empty(output);
            Assert.StartsWith($"forwarder status: the answer at {garbage.Address} is not a forwarder's status: ", errors);
            Assert.DoesNotContain("   at ", errors); // no stack trace
        }
    }

    [Fact]
    public async Task With_no_forwarder_running_json_says_so_and_exits_1()
    {
        await _api.Server.DisposeAsync();

        (int exitCode, string output, string errors) = await CliRun.Invoke("status", "--json", "--api", _api.Address);

        Assert.Equal(1, exitCode);
        Assert.Empty(output);
        Assert.StartsWith("no forwarder answers at", errors);
    }
}
