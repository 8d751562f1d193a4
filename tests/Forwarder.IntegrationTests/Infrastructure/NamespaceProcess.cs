using System.Diagnostics;

namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>
/// A long-running tool (a server) inside a namespace, started with `nsenter --net=...`, which execs: the
/// pid is the tool's own. Its output is kept for failure messages. Dispose stops it: SIGTERM, then SIGKILL.
/// </summary>
public sealed class NamespaceProcess : IDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);
    private const int MaxKeptLines = 200;

    private readonly Process _process;
    private readonly Task _exited;
    private readonly Queue<string> _output = new();

    private NamespaceProcess(Process process, string commandLine)
    {
        _process = process;
        CommandLine = commandLine;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _exited = _process.WaitForExitAsync();
    }

    private bool _disposed;

    public string CommandLine { get; }
    public int Pid => _process.Id;
    public bool HasExited => _exited.IsCompleted;

    public static NamespaceProcess Start(NetworkNamespace ns, string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(HostCommand.Resolve("nsenter"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        string[] all = [$"--net={ns.Path}", HostCommand.Resolve(tool), .. arguments];
        foreach (string argument in all)
            info.ArgumentList.Add(argument);
        return new NamespaceProcess(new Process { StartInfo = info }, $"nsenter {string.Join(' ', all)}");
    }

    /// <summary>The last lines it printed, on stdout and stderr.</summary>
    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    public string Describe() =>
        $"command: {CommandLine}\n{(HasExited ? $"exited with {_process.ExitCode}" : "running")}\n--- output ---\n{Output}";

    private void Keep(string? line)
    {
        if (line is null)
            return;
        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > MaxKeptLines)
                _output.Dequeue();
        }
    }

    /// <summary>Stops the process (SIGTERM, then SIGKILL); calling it again does nothing.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (!HasExited)
        {
            LibC.Kill(Pid, LibC.SIGTERM);
            if (!_exited.Wait(StopTimeout))
            {
                LibC.Kill(Pid, LibC.SIGKILL);
                _exited.Wait(StopTimeout);
            }
        }
        if (HasExited)
            _process.WaitForExit(); // drains the redirected streams
        _process.Dispose();
    }
}
