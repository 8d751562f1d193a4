using Forwarder.IntegrationTests.Infrastructure;

namespace Forwarder.IntegrationTests.Decap;

/// <summary>Runs `forwarder decap ...` inside a namespace, as an operator would (nsenter keeps bpffs visible).</summary>
public static class DecapCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static CommandResult Run(NetworkNamespace ns, params string[] arguments)
    {
        string forwarder = Path.Combine(AppContext.BaseDirectory, "forwarder.dll");
        if (!File.Exists(forwarder))
            throw new FileNotFoundException("forwarder.dll is not beside the tests", forwarder);
        return HostCommand.Run("nsenter", [$"--net={ns.Path}", DotnetHost(), forwarder, "decap", .. arguments], Timeout);
    }

    public static CommandResult Check(NetworkNamespace ns, params string[] arguments)
    {
        CommandResult result = Run(ns, arguments);
        return result.Succeeded ? result : throw CommandFailedException.From(result);
    }

    public static DecapStatusReport Status(NetworkNamespace ns, string device) =>
        DecapStatusReport.Parse(Check(ns, "status", "--iface", device).Stdout);

    /// <summary>The dotnet host running these tests (the test host runs as `dotnet testhost.dll`).</summary>
    private static string DotnetHost()
    {
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
            return current;
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : HostCommand.Resolve("dotnet");
    }
}
