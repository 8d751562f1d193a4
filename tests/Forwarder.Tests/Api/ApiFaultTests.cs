using System.Runtime.Versioning;
using System.Text.Json;

namespace Forwarder.Tests.Api;

/// <summary>A fault inside the API is answered 500, logged and counted, and the API goes on serving.</summary>
[SupportedOSPlatform("linux")]
public sealed class ApiFaultTests : IAsyncLifetime
{
    private TestApi _api = null!;

    public async Task InitializeAsync() => _api = await TestApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_fault_is_answered_500_counted_and_the_next_request_is_served()
    {
        _api.Forwarder.Counters.Fail = true;

        IReadOnlyList<string> errors = ApiAssert.Error(await _api.Get("/status"), 500);
        Assert.Contains("counters unavailable", errors[0]);
        ApiAssert.Error(await _api.Get("/metrics"), 500);

        _api.Forwarder.Counters.Fail = false;
        JsonElement status = await _api.GetJson("/status");
        Assert.Equal(2, status.GetProperty("api_faults").GetInt64());
        Assert.Equal(2, _api.Server.Faults.Count);
        Assert.Contains("forwarder_api_faults_total 2\n", (await _api.Get("/metrics")).Body);
    }

    [Fact]
    public async Task A_body_larger_than_the_limit_is_refused_without_a_fault()
    {
        string body = new('x', (int)Forwarder.Api.ControlApiServer.MaxRequestBytes + 1);

        // With 100-continue the client waits for the server's answer before it writes the body: a server that answers
        // 413 and closes at once cannot break the client's write (a broken pipe, not an answer, without it).
        using var request = new HttpRequestMessage(HttpMethod.Post, "vips") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        (int status, _) = await _api.Exchange(request);

        Assert.Equal(413, status);
        Assert.Equal(0, _api.Server.Faults.Count);
        Assert.Equal(1, _api.Forwarder.Version);
    }
}
