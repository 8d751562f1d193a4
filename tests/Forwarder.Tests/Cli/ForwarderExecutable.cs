using System.Diagnostics;

namespace Forwarder.Tests.Cli;

/// <summary>The built <c>forwarder</c> run as a process of its own, for what only a whole process shows (exit codes, start-up refusals).</summary>
internal static class ForwarderExecutable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>Runs <c>forwarder ARGUMENTS</c> to its end (killed and failed after 60 s); stderr then stdout.</summary>
    public static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "forwarder.dll"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(info)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Bound))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"forwarder {arguments.FirstOrDefault()} did not stop within {Bound.TotalSeconds:F0} s");
        }
        return (process.ExitCode, errors.Result + output.Result);
    }
}
