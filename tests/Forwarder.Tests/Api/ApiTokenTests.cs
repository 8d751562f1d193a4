using System.Net.Http.Headers;
using System.Runtime.Versioning;
using Forwarder.Api;

namespace Forwarder.Tests.Api;

/// <summary>With <c>--api-token-file</c>, every request — reads and /metrics included — needs <c>Authorization: Bearer TOKEN</c>.</summary>
[SupportedOSPlatform("linux")]
public sealed class ApiTokenTests : IAsyncLifetime
{
    private const string Secret = "3f1b0c9e5d2a47f8b6e1c0d9a8b7c6d5";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("forwarder-token-");
    private TestApi _api = null!;

    public async Task InitializeAsync() => _api = await TestApi.StartAsync(token: ApiToken.Of(Secret));

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    [Theory]
    [InlineData("GET", "/status")]
    [InlineData("GET", "/metrics")]
    [InlineData("GET", "/config")]
    [InlineData("GET", "/vips")]
    [InlineData("POST", "/reload")]
    [InlineData("DELETE", ApiConfigs.VipPath)]
    [InlineData("GET", "/nowhere")]
    public async Task Without_the_token_every_request_is_401_and_changes_nothing(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path.TrimStart('/'));

        (int status, string body) = await _api.Exchange(request);

        Assert.True(status == 401, $"{status} {body}");
        Assert.Contains("Authorization: Bearer", body);
        Assert.Contains("--api-token-file", body);
        Assert.Equal(1, _api.Forwarder.Version);
        Assert.Single(_api.Forwarder.Runtime.Config.Vips);
    }

    [Theory]
    [InlineData("Bearer wrong")]
    [InlineData("Bearer " + Secret + "x")]
    [InlineData("Bearer 3f1b0c9e5d2a47f8b6e1c0d9a8b7c6d")]
    [InlineData("Bearer")]
    [InlineData("Basic " + Secret)]
    [InlineData(Secret)]
    public async Task A_wrong_token_is_401(string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, ApiConfigs.VipPath.TrimStart('/'));
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        (int status, string body) = await _api.Exchange(request);

        Assert.True(status == 401, $"{status} {body}");
        Assert.Equal(1, _api.Forwarder.Version);
    }

    [Fact]
    public async Task A_401_says_bearer_in_www_authenticate()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{_api.Address}/") };
        using HttpResponseMessage response = await http.GetAsync("metrics");

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("bearer")]
    public async Task The_token_passes_for_reads_metrics_and_changes(string scheme)
    {
        foreach (string path in new[] { "status", "metrics", "config" })
        {
            using var read = new HttpRequestMessage(HttpMethod.Get, path);
            read.Headers.Authorization = new AuthenticationHeaderValue(scheme, Secret);
            (int status, string body) = await _api.Exchange(read);
            Assert.True(status == 200, $"GET /{path}: {status} {body}");
        }

        ApiAssert.Applied(await _api.Send(HttpMethod.Post, $"{ApiConfigs.VipPath}/backends", """{"address": "10.0.0.4"}"""));
    }

    [Fact]
    public async Task The_cli_sends_the_token_of_its_file_and_without_it_says_what_to_give()
    {
        string file = TokenFile(Secret + "\n");

        (int exitCode, string output, string errors) = await CliRun.Invoke("status", "--api", _api.Address, "--api-token-file", file);
        Assert.True(exitCode == 0, errors);
        Assert.Contains("table version 1", output);

        (exitCode, _, errors) = await CliRun.Invoke("backend", "weight", ApiConfigs.Vip, "10.0.0.3", "0", "--api", _api.Address, "--api-token-file", file);
        Assert.True(exitCode == 0, errors);
        Assert.Equal(2, _api.Forwarder.Version);

        (exitCode, _, errors) = await CliRun.Invoke("reload", "--api", _api.Address);
        Assert.Equal(1, exitCode);
        Assert.Contains("--api-token-file", errors);
        Assert.Equal(2, _api.Forwarder.Version);
    }

    [Fact]
    public async Task Stats_reads_metrics_with_the_token()
    {
        (int exitCode, string output, string errors) = await CliRun.Invoke("stats", "--once", "--interval", "0.2", "--api", _api.Address, "--api-token-file", TokenFile(Secret));

        Assert.True(exitCode == 0, errors);
        Assert.Contains(ApiConfigs.Vip, output);
    }

    [Fact]
    public async Task The_cli_refuses_a_token_file_others_can_read_as_a_usage_error()
    {
        string file = TokenFile(Secret, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        (int exitCode, _, string errors) = await CliRun.Invoke("status", "--api", _api.Address, "--api-token-file", file);

        Assert.Equal(2, exitCode);
        Assert.Contains($"--api-token-file {file}: other users may read it (mode 0604)", errors);
    }

    private string TokenFile(string text, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        string path = Path.Combine(_directory.FullName, $"token-{Guid.NewGuid():N}");
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, mode);
        return path;
    }
}
