using System.Runtime.Versioning;
using System.Text.Json;
using Forwarder.Api;
using Forwarder.Cli;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forwarder.Tests.Api;

/// <summary>The configuration file re-read: on <c>POST /reload</c>, and by itself when it changes.</summary>
[SupportedOSPlatform("linux")]
public sealed class ReloadTests : IAsyncLifetime
{
    private TestApi _api = null!;

    public async Task InitializeAsync() => _api = await TestApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Reload_applies_the_edited_file()
    {
        File.WriteAllText(_api.Forwarder.ConfigPath, ApiConfigs.Base + ApiConfigs.SecondVip);

        ApiResponse response = await _api.Send(HttpMethod.Post, "/reload");

        Assert.Equal(2, ApiAssert.Applied(response));
        Assert.True(JsonDocument.Parse(response.Body).RootElement.GetProperty("changed").GetBoolean());
        Assert.Equal(2, _api.Forwarder.Runtime.Config.Vips.Count);
    }

    [Fact]
    public async Task Reloading_an_unchanged_file_keeps_the_version()
    {
        ApiResponse response = await _api.Send(HttpMethod.Post, "/reload");

        Assert.Equal(1, ApiAssert.Applied(response));
        Assert.False(JsonDocument.Parse(response.Body).RootElement.GetProperty("changed").GetBoolean());
    }

    [Fact]
    public async Task An_invalid_file_is_refused_with_its_errors_and_the_running_configuration_stays()
    {
        File.WriteAllText(_api.Forwarder.ConfigPath, ConfigBuilder.Standard(v => v.NoBackends().Backends("10.0.0.1", "10.0.0.2", "10.0.0.300")).ToYaml() + ApiConfigs.SecondVip);

        ApiResponse response = await _api.Send(HttpMethod.Post, "/reload");

        IReadOnlyList<string> errors = ApiAssert.Error(response, 400);
        Assert.Equal("vips[0].backends[2].address (line 11, col 18): '10.0.0.300' is not an IPv4 or IPv6 address", Assert.Single(errors));
        Assert.Equal(1, JsonDocument.Parse(response.Body).RootElement.GetProperty("version").GetInt64());
        Assert.Single(_api.Forwarder.Runtime.Config.Vips);
        Assert.Equal(1, _api.Forwarder.Runtime.RefusedChanges);
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_is_refused()
    {
        File.Delete(_api.Forwarder.ConfigPath);

        IReadOnlyList<string> errors = ApiAssert.Error(await _api.Send(HttpMethod.Post, "/reload"), 400);

        Assert.StartsWith($"cannot read {_api.Forwarder.ConfigPath}", errors[0]);
        Assert.Equal(1, _api.Forwarder.Version);
        Assert.Equal(1, _api.Forwarder.ReloadFailures);
    }

    [Fact]
    public async Task A_file_held_open_for_writing_by_another_process_is_still_read()
    {
        using (var writer = new FileStream(_api.Forwarder.ConfigPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            writer.SetLength(0);
            writer.Write(System.Text.Encoding.UTF8.GetBytes(ApiConfigs.Base + ApiConfigs.SecondVip));
            writer.Flush();

            Assert.Equal(2, ApiAssert.Applied(await _api.Send(HttpMethod.Post, "/reload")));
        }
    }

    [Fact]
    public async Task A_file_locked_for_a_moment_by_its_writer_is_read_once_released()
    {
        File.WriteAllText(_api.Forwarder.ConfigPath, ApiConfigs.Base + ApiConfigs.SecondVip);
        var writer = new FileStream(_api.Forwarder.ConfigPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None); // an exclusive flock
        var release = new Thread(() =>
        {
            Thread.Sleep(300);
            writer.Dispose();
        });
        release.Start();

        ApiResponse response = await _api.Send(HttpMethod.Post, "/reload");

        release.Join();
        Assert.Equal(2, ApiAssert.Applied(response));
    }

    [Fact]
    public async Task A_changed_file_is_reloaded_by_itself_once_the_writes_settle()
    {
        using var scheduler = new ReloadScheduler(_api.Forwarder.Reload, TimeSpan.FromMilliseconds(200), NullLogger.Instance);
        using var watcher = new ConfigFileWatcher(_api.Forwarder.ConfigPath, scheduler.Request, NullLogger.Instance);
        Assert.True(watcher.IsWatching);

        File.WriteAllText(_api.Forwarder.ConfigPath, ApiConfigs.Base + ApiConfigs.SecondVip);

        await Wait.HoldsAsync(() => _api.Forwarder.Version == 2, "version 2 is live", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        Assert.Equal(2, _api.Forwarder.Runtime.Config.Vips.Count);
        await Task.Delay(500);
        Assert.Equal(2, _api.Forwarder.Version); // the burst of events of one write gave one reload
    }

    [Fact]
    public async Task A_file_replaced_by_rename_is_reloaded_by_itself()
    {
        using var scheduler = new ReloadScheduler(_api.Forwarder.Reload, TimeSpan.FromMilliseconds(200), NullLogger.Instance);
        using var watcher = new ConfigFileWatcher(_api.Forwarder.ConfigPath, scheduler.Request, NullLogger.Instance);
        string staged = Path.Combine(_api.Forwarder.DirectoryPath, "forwarder.yaml.new");

        File.WriteAllText(staged, ApiConfigs.Base + ApiConfigs.SecondVip);
        File.Move(staged, _api.Forwarder.ConfigPath, overwrite: true);

        await Wait.HoldsAsync(() => _api.Forwarder.Version == 2, "version 2 is live", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Other_files_of_the_directory_are_ignored()
    {
        int reloads = 0;
        using var scheduler = new ReloadScheduler(trigger => { Interlocked.Increment(ref reloads); return _api.Forwarder.Reload(trigger); },
            TimeSpan.FromMilliseconds(50), NullLogger.Instance);
        using var watcher = new ConfigFileWatcher(_api.Forwarder.ConfigPath, scheduler.Request, NullLogger.Instance);

        // First the watcher proves it is alive: a change of the watched file is seen.
        File.WriteAllText(_api.Forwarder.ConfigPath, ApiConfigs.Base + ApiConfigs.SecondVip);
        await Wait.HoldsAsync(() => _api.Forwarder.Version == 2, "version 2 is live", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        await Task.Delay(300); // the tail of that write's events
        Interlocked.Exchange(ref reloads, 0);

        string directory = _api.Forwarder.DirectoryPath;
        File.WriteAllText(Path.Combine(directory, "other.yaml"), "x: 1");
        File.WriteAllText(Path.Combine(directory, "forwarder.yaml.new"), ApiConfigs.Base);
        File.Move(Path.Combine(directory, "forwarder.yaml.new"), Path.Combine(directory, "forwarder.yaml.bak"));
        File.WriteAllText(Path.Combine(directory, "forwarder.yaml~"), ApiConfigs.Base);
        await Task.Delay(500);

        Assert.Equal(0, Volatile.Read(ref reloads));
        Assert.Equal(2, _api.Forwarder.Version);
    }
}
