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

    /// <summary>Starts `forwarder ARGUMENTS...`, e.g. <c>["run", "--config", path]</c>, as `dotnet forwarder.dll`.</summary>
    /// <param name="appHost">Start it through this path of the apphost (<see cref="AppHostPath"/>, or a link to it) instead.</param>
    public static ForwarderProcess Start(NetworkNamespace ns, IReadOnlyList<string> forwarderArguments, string? appHost = null)
    {
        string[] arguments = [$"--net={ns.Path}", .. Executable(appHost), .. forwarderArguments];
        return Start(HostCommand.Resolve("nsenter"), arguments, $"nsenter {string.Join(' ', arguments)}");
    }

    /// <summary>
    /// Starts `forwarder ARGUMENTS...` with its standard output sent where a bash redirection says, e.g.
    /// <c>&gt;&gt;/mnt/full/out</c>, or <c><c>&gt;&gt;(exec true)</c> for a pipegt; <c>&gt;&gt;(exec true)</c> for a pipegt;(exec true)</c> for a pipe whose reader is gone. bash execs nsenter,
    /// which execs the forwarder: the pid is still the forwarder's. No READY line is seen: wait with <see cref="WaitUntil"/>.
    /// </summary>
    public static ForwarderProcess StartWithStdout(NetworkNamespace ns, IReadOnlyList<string> forwarderArguments, string redirection)
    {
        string[] command = [HostCommand.Resolve("nsenter"), $"--net={ns.Path}", .. Executable(appHost: null), .. forwarderArguments];
        string[] arguments = ["-c", $"exec \"$@\" {redirection}", "bash", .. command];
        return Start(HostCommand.Resolve("bash"), arguments, $"{string.Join(' ', command)} {redirection}");
    }

    /// <summary>
    /// Starts `forwarder ARGUMENTS...` with <paramref name="signals"/> (e.g. <c>HUP INT</c>) ignored, as <c>nohup</c> or a
    /// shell's <c>cmd &amp;</c> starts it: bash sets them ignored and execs nsenter, which execs the forwarder (same pid).
    /// </summary>
    public static ForwarderProcess StartWithSignalsIgnored(NetworkNamespace ns, IReadOnlyList<string> forwarderArguments, string signals)
    {
        string[] command = [HostCommand.Resolve("nsenter"), $"--net={ns.Path}", .. Executable(appHost: null), .. forwarderArguments];
        string[] arguments = ["-c", $"trap '' {signals}; exec \"$@\"", "bash", .. command];
        return Start(HostCommand.Resolve("bash"), arguments, $"(signals {signals} ignored) {string.Join(' ', command)}");
    }

    private static ForwarderProcess Start(string program, IReadOnlyList<string> arguments, string commandLine)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (string argument in arguments)
            info.ArgumentList.Add(argument);
        return new ForwarderProcess(new Process { StartInfo = info }, commandLine);
    }

    /// <summary>The program and arguments that run the forwarder beside the tests: `DOTNET forwarder.dll`, or the apphost given.</summary>
    private static string[] Executable(string? appHost)
    {
        string path = appHost ?? Path.Combine(AppContext.BaseDirectory, "forwarder.dll");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is not there: the forwarder is built beside the tests", path);
        return appHost is not null ? [appHost] : [DotnetHost(), path];
    }

    /// <summary>The apphost beside the tests: the native launcher `forwarder` the SDK builds beside forwarder.dll.</summary>
    public static string AppHostPath => Path.Combine(AppContext.BaseDirectory, "forwarder");

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds; throws with the output if the process exits or the time runs out first.</summary>
    public void WaitUntil(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        TimeSpan limit = timeout ?? ReadyTimeout;
        bool held = false;
        Wait.Until(() => HasExited || (held = condition()), limit, TimeSpan.FromMilliseconds(100));
        if (held)
            return;
        if (HasExited)
        {
            _process.WaitForExit();
            throw new InvalidOperationException($"the forwarder exited with {_process.ExitCode} before {what}.\n{Describe()}");
        }
        throw new TimeoutException($"not {what} within {limit.TotalSeconds:0} s.\n{Describe()}");
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

    /// <summary>The dotnet host running these tests (the test host runs as `dotnet testhost.dll`); the forwarder's argv[0] unless started through the apphost.</summary>
    public static string DotnetHost()
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
