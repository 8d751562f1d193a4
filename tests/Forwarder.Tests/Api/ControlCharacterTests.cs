using System.Runtime.Versioning;
using Forwarder.Tests.Health;

namespace Forwarder.Tests.Api;

/// <summary>A control character in any string of a request is refused, naming where it was; nothing of the request reaches the log raw.</summary>
[SupportedOSPlatform("linux")]
public sealed class ControlCharacterTests : IAsyncLifetime
{
    private readonly ListLogger _log = new();
    private TestApi _api = null!;

    public async Task InitializeAsync() => _api = await TestApi.StartAsync(log: _log);

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Theory]
    [InlineData("""{"address": "10.0.0.4\u0000"}""", "address")]
    [InlineData("""{"address": "10.0.0.4", "mac": "02:00:00:00:00:0b\u001b[2J"}""", "mac")]
    [InlineData("""{"address\u0000": "10.0.0.4"}""", "address\\u0000")]
    public async Task A_control_character_in_a_backend_field_is_refused_naming_the_field(string body, string field)
    {
        IReadOnlyList<string> errors = ApiAssert.Error(await _api.Send(HttpMethod.Post, $"{ApiConfigs.VipPath}/backends", body), 400);

        Assert.Contains(errors, e => e.StartsWith($"{field}: ", StringComparison.Ordinal) && e.Contains("control character"));
        Assert.Equal(1, _api.Forwarder.Version);
        AssertLogHasNoControlCharacters();
    }

    [Fact]
    public async Task A_control_character_in_a_nested_vip_field_is_refused_naming_its_path()
    {
        const string body = """{"address": "10.100.0.9", "port": 80, "protocol": "tcp", "backends": [{"address": "10.0.0.1"}, {"address": "\u0000"}]}""";

        IReadOnlyList<string> errors = ApiAssert.Error(await _api.Send(HttpMethod.Post, "/vips", body), 400);

        string error = Assert.Single(errors);
        Assert.StartsWith("backends[1].address: ", error);
        Assert.Contains("U+0000", error);
        Assert.DoesNotContain('\0', error);
        Assert.Equal(1, _api.Forwarder.Version);
        AssertLogHasNoControlCharacters();
    }

    [Theory]
    [InlineData("DELETE", "/vips/10.100.0.1%07/80/tcp", "address")]
    [InlineData("DELETE", "/vips/10.100.0.1/80/tcp/backends/10.0.0.1%0A", "backend")]
    [InlineData("DELETE", "/vips/10.100.0.1/80/tcp/backends/10.0.0.1?port=8%0D0", "port")]
    public async Task A_control_character_in_the_path_or_query_is_refused_naming_the_part(string method, string path, string part)
    {
        IReadOnlyList<string> errors = ApiAssert.Error(await _api.Send(new HttpMethod(method), path), 400);

        Assert.Contains(part, errors[0]);
        Assert.Contains("control character", errors[0]);
        Assert.Equal(1, _api.Forwarder.Version);
        AssertLogHasNoControlCharacters();
    }

    private void AssertLogHasNoControlCharacters()
    {
        foreach ((_, _, string message, _) in _log.Entries)
            Assert.False(message.Any(char.IsControl), $"raw control character in the log: {message.Replace("\0", "<NUL>", StringComparison.Ordinal)}");
    }
}
