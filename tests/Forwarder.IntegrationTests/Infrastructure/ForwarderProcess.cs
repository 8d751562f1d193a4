using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>
/// One `forwarder run` process inside a namespace. It is started with `nsenter --net=...` (which execs,
/// so the pid is the forwarder's own and signals reach it directly); `ip netns exec` would hide bpffs.
/// Dispose kills it if it still runs.
/// </summary>
public sealed class ForwarderProcess : IDisposable
{
    public const string ReadyMarker = "READY";
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly Task _exited;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ForwarderProcess(Process process, string commandLine)
    {
        _process = process;
        CommandLine = commandLine;
        _process.OutputDataReceived += (_, e) => OnLine(_stdout, e.Data, isStdout: true);
        _process.ErrorDataReceived += (_, e) => OnLine(_stderr, e.Data, isStdout: false);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _exited = _process.WaitForExitAsync();
    }

    public string CommandLine { get; }
    public int Pid => _process.Id;
    public bool HasExited => _exited.IsCompleted;

    public IReadOnlyList<string> StdoutLines
    {
        get { lock (_stdout) return [.. _stdout]; }
    }

    public string Stderr
    {
        get { lock (_stderr) return string.Join('\n', _stderr); }
    }

    public static ForwarderProcess Start(NetworkNamespace ns, ForwarderOptions options) => Start(ns, options.ToArguments().ToArray());

    /// <summary>Starts `forwarder ARGUMENTS...`, e.g. <c>["run", "--config", path]</c>.</summary>
    public static ForwarderProcess Start(NetworkNamespace ns, IReadOnlyList<string> forwarderArguments)
    {
        string forwarder = Path.Combine(AppContext.BaseDirectory, "forwarder.dll");
        if (!File.Exists(forwarder))
            throw new FileNotFoundException("forwarder.dll is not beside the tests", forwarder);
        var info = new ProcessStartInfo(HostCommand.Resolve("nsenter"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        string[] arguments = [$"--net={ns.Path}", DotnetHost(), forwarder, .. forwarderArguments];
        foreach (string argument in arguments)
            info.ArgumentList.Add(argument);
        return new ForwarderProcess(new Process { StartInfo = info }, $"nsenter {string.Join(' ', arguments)}");
    }

    /// <summary>Waits for the READY line; throws with the output if the process exits or the time runs out first.</summary>
    public void WaitForReady(TimeSpan? timeout = null)
    {
        TimeSpan limit = timeout ?? ReadyTimeout;
        int first = Task.WaitAny([_ready.Task, _exited], limit);
        if (first == 0)
            return;
        if (first == 1)
        {
            _process.WaitForExit();
            throw new InvalidOperationException($"the forwarder exited with {_process.ExitCode} before READY.\n{Describe()}");
        }
        throw new TimeoutException($"no READY within {limit.TotalSeconds:0} s.\n{Describe()}");
    }

    public void Signal(int signal)
    {
        if (HasExited)
            throw new InvalidOperationException($"cannot send signal {signal}: the forwarder already exited.\n{Describe()}");
        if (LibC.Kill(Pid, signal) != 0)
            throw new InvalidOperationException($"kill({Pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Sends the signal and returns the exit code; throws if the process outlives <see cref="ExitTimeout"/>.</summary>
    public int Stop(int signal = LibC.SIGTERM)
    {
        Signal(signal);
        return WaitForExit(ExitTimeout);
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_exited.Wait(timeout))
            throw new TimeoutException($"the forwarder still runs {timeout.TotalSeconds:0} s later.\n{Describe()}");
        _process.WaitForExit(); // drains the redirected streams
        return _process.ExitCode;
    }

    /// <summary>The FINAL report; call after the process exited.</summary>
    public ForwarderReport Report()
    {
        try
        {
            return ForwarderReport.Parse(StdoutLines);
        }
        catch (Exception e) when (e is InvalidOperationException or System.Text.Json.JsonException)
        {
            throw new InvalidOperationException($"{e.Message}\n{Describe()}", e);
        }
    }

    public string Describe() =>
        $"command: {CommandLine}\n--- stdout ---\n{string.Join('\n', StdoutLines)}\n--- stderr ---\n{Stderr}";

    private void OnLine(List<string> lines, string? line, bool isStdout)
    {
        if (line is null)
            return;
        lock (lines)
            lines.Add(line);
        if (isStdout && line.StartsWith(ReadyMarker, StringComparison.Ordinal))
            _ready.TrySetResult();
    }

    /// <summary>The dotnet host running these tests (the test host runs as `dotnet testhost.dll`).</summary>
    private static string DotnetHost()
    {
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
            return current;
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : HostCommand.Resolve("dotnet");
    }

    public void Dispose()
    {
        if (!HasExited)
        {
            LibC.Kill(Pid, LibC.SIGKILL);
            _exited.Wait(ExitTimeout);
        }
        _process.Dispose();
    }
}
