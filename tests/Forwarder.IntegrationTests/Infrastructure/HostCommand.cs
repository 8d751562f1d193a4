using System.Diagnostics;

namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>Runs short-lived tools (ip, ethtool, nsenter, sysctl) with captured output and a time limit.</summary>
public static class HostCommand
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);
    private static readonly string[] SearchPath = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    /// <summary>Runs and throws <see cref="CommandFailedException"/> unless the exit code is 0.</summary>
    public static CommandResult Check(string tool, params string[] arguments)
    {
        CommandResult result = Run(tool, arguments);
        return result.Succeeded ? result : throw CommandFailedException.From(result);
    }

    public static CommandResult Run(string tool, params string[] arguments) => Run(tool, arguments, DefaultTimeout);

    public static CommandResult Run(string tool, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(Resolve(tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
            info.ArgumentList.Add(argument);
        string commandLine = $"{tool} {string.Join(' ', arguments)}";

        using Process process = Process.Start(info) ?? throw new CommandFailedException($"could not start `{commandLine}`");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5_000);
            throw new CommandFailedException($"`{commandLine}` did not finish within {timeout.TotalSeconds:0} s");
        }
        process.WaitForExit(); // drains the redirected streams
        return new CommandResult(commandLine, process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Finds a tool in the sbin directories too, which a test runner's PATH may lack.</summary>
    public static string Resolve(string tool)
    {
        if (tool.Contains('/'))
            return tool;
        IEnumerable<string> path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        foreach (string directory in path.Concat(SearchPath))
        {
            string candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
                return candidate;
        }
        return tool;
    }
}
