using Forwarder.Hosting;
using Forwarder.Hosting.Privileges;
using Forwarder.Hosting.Upgrade;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forwarder.Tests.Hosting;

/// <summary>
/// The running forwarder's side of an upgrade against successors that misbehave, played by shell scripts speaking (or
/// not) the hand-over's lines on the socket they inherit. Whatever they do, the running side never loses its workers:
/// they are stopped only after a successor said ready, and resumed when it did not take over.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UpgradeCoordinatorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("forwarder-upgrade-").FullName;
    private readonly FakeSource _source = new();

    [Fact]
    public void A_binary_that_does_not_exist_is_refused_and_nothing_is_disturbed()
    {
        var upgrades = new UpgradeCoordinator(_source, NullLogger.Instance, () => Assert.Fail("handed over"));

        UpgradeOutcome outcome = upgrades.Run(Path.Combine(_directory, "no-such-forwarder"), "test");

        Assert.Equal(UpgradeOutcome.Refused, outcome.Result);
        Assert.Contains("no such file", outcome.Message);
        Assert.Equal(0, _source.Stops);
        Assert.Equal(0, upgrades.RolledBack);
    }

    [Fact]
    public void A_binary_that_is_not_executable_is_refused()
    {
        string path = Path.Combine(_directory, "forwarder");
        File.WriteAllText(path, "not a program");
        var upgrades = new UpgradeCoordinator(_source, NullLogger.Instance, () => Assert.Fail("handed over"));

        UpgradeOutcome outcome = upgrades.Run(path, "test");

        Assert.Equal(UpgradeOutcome.Refused, outcome.Result);
        Assert.Contains("not executable", outcome.Message);
        Assert.Equal(0, _source.Stops);
    }

    [Fact]
    public void A_binary_that_exits_at_once_rolls_back_without_stopping_the_workers()
    {
        var upgrades = new UpgradeCoordinator(_source, NullLogger.Instance, () => Assert.Fail("handed over"));

        UpgradeOutcome outcome = upgrades.Run(Script("exit 3"), "test");

        Assert.Equal(UpgradeOutcome.RolledBack, outcome.Result);
        Assert.Contains("exited with code 3", outcome.Message);
        Assert.Contains("forwarding never stopped", outcome.Message);
        Assert.StartsWith("rolled back: ", outcome.ToString());
        Assert.Equal(0, _source.Stops);
        Assert.Equal(1, upgrades.RolledBack);
    }

    [Fact]
    public void A_successor_that_dies_mid_hand_over_rolls_back_and_the_workers_resume()
    {
        var upgrades = new UpgradeCoordinator(_source, NullLogger.Instance, () => Assert.Fail("handed over"));

        UpgradeOutcome outcome = upgrades.Run(Script("echo ready >&$fd; read -r -u $fd line; exit 4"), "test");

        Assert.Equal(UpgradeOutcome.RolledBack, outcome.Result);
        Assert.Contains("died or hung during the hand-over", outcome.Message);
        Assert.Equal(1, _source.Stops);
        Assert.Equal(1, _source.Resumes);
        Assert.False(upgrades.HandedOver);
    }

    [Fact]
    public void A_successor_that_refuses_the_state_rolls_back_and_says_why()
    {
        var upgrades = new UpgradeCoordinator(_source, NullLogger.Instance, () => Assert.Fail("handed over"));

        UpgradeOutcome outcome = upgrades.Run(Script("echo ready >&$fd; read -r -u $fd line; echo 'refused queue 0: too many frames' >&$fd; sleep 5"), "test");

        Assert.Equal(UpgradeOutcome.RolledBack, outcome.Result);
        Assert.Contains("refused queue 0: too many frames", outcome.Message);
        Assert.Equal(1, _source.Resumes);
    }

    [Fact]
    public void A_second_upgrade_while_one_runs_is_refused()
    {
        var upgrades = new UpgradeCoordinator(_source, NullLogger.Instance, () => Assert.Fail("handed over"));
        string slow = Script($"touch {_directory}/started; sleep 3; exit 1");

        Task<UpgradeOutcome> first = Task.Run(() => upgrades.Run(slow, "first"));
        Assert.True(SpinWait.SpinUntil(() => File.Exists(Path.Combine(_directory, "started")), TimeSpan.FromSeconds(20)), "the first successor started");
        UpgradeOutcome second = upgrades.Run(null, "second");

        Assert.Equal(UpgradeOutcome.Refused, second.Result);
        Assert.Contains("running already", second.Message);
        Assert.True(first.Wait(TimeSpan.FromSeconds(30)));
        Assert.Equal(UpgradeOutcome.RolledBack, first.Result.Result);
    }

    [Fact]
    public void A_successor_that_takes_over_gets_every_descriptor_the_state_and_the_running_configuration()
    {
        bool handedOver = false;
        var upgrades = new UpgradeCoordinator(_source, NullLogger.Instance, () => handedOver = true);
        string seen = Path.Combine(_directory, "seen");
        string script = Script(
            $"for f in $(tr ',:' '\\n\\n' <<<\"$FORWARDER_INHERITED_FDS\" | grep -E '^[0-9]+$'); do [ -e /proc/self/fd/$f ] || echo \"closed $f\" >>{seen}; done; " +
            $"cat /proc/self/fd/$FORWARDER_UPGRADE_CONFIG >>{seen}; echo >>{seen}; echo ready >&$fd; " +
            $"while read -r -u $fd line; do echo \"$line\" >>{seen}; [ \"$line\" = end ] && break; done; echo running >&$fd");

        UpgradeOutcome outcome = upgrades.Run(script, "test");

        Assert.True(outcome.Succeeded, outcome.ToString());
        Assert.True(handedOver);
        Assert.True(upgrades.HandedOver);
        string[] lines = File.ReadAllLines(seen);
        Assert.DoesNotContain(lines, l => l.StartsWith("closed", StringComparison.Ordinal));
        Assert.Contains(FakeSource.Yaml, lines);
        Assert.Contains("free 0 4096 Aw==", lines); // frames 0 and 4096: bits 0 and 1
        Assert.Contains(lines, l => l.StartsWith("stopped ", StringComparison.Ordinal));
        Assert.Equal(0, _source.Resumes);
        Assert.Equal(UpgradeOutcome.Refused, upgrades.Run(null, "again").Result); // once handed over, never twice
    }

    /// <summary>An executable script; <c>$fd</c> is its end of the hand-over socket.</summary>
    private string Script(string body)
    {
        string path = Path.Combine(_directory, $"successor-{Guid.NewGuid():N}.sh");
        File.WriteAllText(path, "#!/bin/bash\nfd=$(tr ',' '\\n' <<<\"$FORWARDER_INHERITED_FDS\" | sed -n 's/^upgrade://p')\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public void Dispose()
    {
        _source.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A running forwarder without a data path: its "descriptors" are /dev/null, its workers counters.</summary>
    private sealed class FakeSource : IHandOverSource, IDisposable
    {
        public const string Yaml = "interface: {name: fake0}";

        private readonly List<Microsoft.Win32.SafeHandles.SafeFileHandle> _files = [];

        public int Stops { get; private set; }
        public int Resumes { get; private set; }

        public string? RunningConfigYaml => Yaml;

        public InheritedSetup DescribeForSuccessor() =>
            new(Open(), [new AfXdp.XskHandOver(Open(), Open(), false)], Open(), new Dictionary<string, int> { ["vips"] = Open() }, -1, -1);

        public IReadOnlyList<QueueHandOver> StopForHandOver(HandOverTimeline timeline)
        {
            Stops++;
            timeline.Mark(HandOverStep.WorkersStopped);
            return [new QueueHandOver([0, 4096], [1, 2, 3])];
        }

        public void ResumeAfterRollBack() => Resumes++;

        private int Open()
        {
            var handle = File.OpenHandle("/dev/null");
            _files.Add(handle);
            return (int)handle.DangerousGetHandle();
        }

        public void Dispose()
        {
            foreach (var file in _files)
                file.Dispose();
        }
    }
}
