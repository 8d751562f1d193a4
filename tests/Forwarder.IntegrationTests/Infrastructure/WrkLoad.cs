using System.Globalization;

namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>HTTP load from wrk inside a namespace, for a fixed number of seconds.</summary>
public static class WrkLoad
{
    public static WrkResult Run(NetworkNamespace from, string url, int seconds, int connections = 16, int threads = 2)
    {
        CommandResult result = HostCommand.Run("nsenter",
            [$"--net={from.Path}", HostCommand.Resolve("wrk"), "--threads", Text(threads), "--connections", Text(connections),
             "--duration", $"{Text(seconds)}s", "--timeout", "2s", url],
            TimeSpan.FromSeconds(seconds + 10));
        return result.Succeeded ? WrkResult.Parse(result.Stdout) : throw CommandFailedException.From(result);
    }

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);
}
