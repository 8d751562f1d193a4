using System.Globalization;
using System.Net;
using System.Runtime.Versioning;
using System.Text.Json;
using Forwarder.Cli;
using Forwarder.Configuration;

namespace Forwarder.Tests.Api;

/// <summary>Many changes, in a row and at once: every accepted one is one version, refused ones none, and what runs is what was asked.</summary>
[SupportedOSPlatform("linux")]
public sealed class ChangeSequenceTests : IAsyncLifetime
{
    private TestApi _api = null!;

    public async Task InitializeAsync() => _api = await TestApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_hundred_changes_in_a_row_leave_a_consistent_state_and_version()
    {
        var expected = new Dictionary<string, uint> { ["10.0.0.1"] = 1, ["10.0.0.2"] = 1, ["10.0.0.3"] = 1 };
        long version = 1;
        int refused = 0;
        for (int i = 0; i < 100; i++)
        {
            string backend = $"10.0.2.{i % 20 + 1}";
            ApiResponse response;
            switch (i % 5)
            {
                case 0 or 1:
                    response = await _api.Send(HttpMethod.Post, $"{ApiConfigs.VipPath}/backends", $$"""{"address": "{{backend}}", "weight": {{i % 7}}}""");
                    if (expected.TryAdd(backend, (uint)(i % 7)))
                        version++;
                    else
                        refused++;
                    break;
                case 2:
                    response = await _api.Send(HttpMethod.Put, $"{ApiConfigs.VipPath}/backends/10.0.0.{i % 3 + 1}/weight", $$"""{"weight": {{i}}}""");
                    expected[$"10.0.0.{i % 3 + 1}"] = (uint)i;
                    version++;
                    break;
                case 3:
                    string victim = expected.Keys.Where(k => k.StartsWith("10.0.2.", StringComparison.Ordinal)).Order(StringComparer.Ordinal).FirstOrDefault() ?? "10.0.9.9";
                    response = await _api.Send(HttpMethod.Delete, $"{ApiConfigs.VipPath}/backends/{victim}");
                    if (expected.Remove(victim))
                        version++;
                    else
                        refused++;
                    break;
                default:
                    response = await _api.Send(HttpMethod.Post, "/vips", """{"address": "10.100.0.1", "port": 80, "protocol": "tcp", "backends": []}""");
                    refused++;
                    break;
            }
            long answered = JsonDocument.Parse(response.Body).RootElement.GetProperty("version").GetInt64();
            Assert.Equal(version, answered);
        }

        Assert.Equal(version, _api.Forwarder.Version);
        Assert.Equal(refused, _api.Forwarder.Runtime.RefusedChanges);
        VipConfig vip = _api.Forwarder.Runtime.Config.Vips.Single();
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal),
            vip.Backends.Select(b => KeyValuePair.Create(b.Address.ToString(), b.Weight)).OrderBy(e => e.Key, StringComparer.Ordinal));
        JsonElement status = await _api.GetJson("/status");
        Assert.Equal(version, status.GetProperty("version").GetInt64());
        Assert.Equal(refused, status.GetProperty("refused_changes").GetInt64());
        Assert.Equal(_api.Forwarder.Runtime.Snapshots.Current.Vips[0].Digest, status.GetProperty("vips")[0].GetProperty("digest").GetString());
        Assert.Equal(Forwarder.ControlPlane.VipTable.Build(vip).Digest, _api.Forwarder.Runtime.Snapshots.Current.Vips[0].Digest);
    }

    [Fact]
    public async Task Changes_sent_at_once_are_all_applied_one_version_each()
    {
        Task<ApiResponse>[] sends = Enumerable.Range(1, 40)
            .Select(i => _api.Send(HttpMethod.Post, $"{ApiConfigs.VipPath}/backends", $$"""{"address": "10.0.3.{{i}}"}"""))
            .ToArray();

        ApiResponse[] responses = await Task.WhenAll(sends);

        long[] versions = responses.Select(ApiAssert.Applied).Order().ToArray();
        Assert.Equal(Enumerable.Range(2, 40).Select(v => (long)v), versions);
        Assert.Equal(41, _api.Forwarder.Version);
        Assert.Equal(43, _api.Forwarder.Runtime.Config.Vips[0].Backends.Count);
        Assert.All(Enumerable.Range(1, 40), i =>
            Assert.Contains(_api.Forwarder.Runtime.Config.Vips[0].Backends, b => b.Address.Equals(IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"10.0.3.{i}")))));
    }
}
