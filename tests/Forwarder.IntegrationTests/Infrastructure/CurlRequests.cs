using System.Globalization;

namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>
/// curl from inside a namespace: one new connection per request, each from a local port chosen by the
/// test, so every 5-tuple is known. A chunk of requests runs in one curl process (`--next`); chunks stop
/// once <see cref="MaxFailures"/> requests failed, so a dead path fails fast.
/// </summary>
public static class CurlRequests
{
    public const int MaxFailures = 5;
    private const int ChunkSize = 10;
    private const int ConnectSeconds = 2;
    private const int RequestSeconds = 3;
    private const string Marker = "@@curl";

    public static IReadOnlyList<CurlOutcome> Get(NetworkNamespace from, string url, IReadOnlyList<int> localPorts)
    {
        var outcomes = new List<CurlOutcome>();
        foreach (int[] chunk in localPorts.Chunk(ChunkSize))
        {
            outcomes.AddRange(RunChunk(from, url, chunk));
            if (outcomes.Count(o => !o.Succeeded) >= MaxFailures)
                break;
        }
        return outcomes;
    }

    private static IReadOnlyList<CurlOutcome> RunChunk(NetworkNamespace from, string url, int[] ports)
    {
        var arguments = new List<string> { $"--net={from.Path}", HostCommand.Resolve("curl"), "--silent", "--show-error" };
        for (int i = 0; i < ports.Length; i++)
        {
            if (i > 0)
                arguments.Add("--next"); // per-transfer options start afresh after it
            arguments.AddRange([
                "--connect-timeout", $"{ConnectSeconds}", "--max-time", $"{RequestSeconds}",
                "--local-port", ports[i].ToString(CultureInfo.InvariantCulture), "--output", "-",
                "--write-out", $"\n{Marker} %{{local_port}} %{{exitcode}} %{{http_code}} %{{errormsg}}\n", url,
            ]);
        }
        TimeSpan limit = TimeSpan.FromSeconds(10 + ports.Length * RequestSeconds);
        CommandResult result = HostCommand.Run("nsenter", arguments, limit);
        IReadOnlyList<CurlOutcome> outcomes = Parse(result.Stdout, ports);
        return outcomes.Count == ports.Length
            ? outcomes
            : throw new CommandFailedException($"curl reported {outcomes.Count} of {ports.Length} transfers.\n{result}");
    }

    /// <summary>Each transfer prints its body, then a marker line with what curl knows about it.</summary>
    private static List<CurlOutcome> Parse(string stdout, int[] ports)
    {
        var outcomes = new List<CurlOutcome>();
        var body = new List<string>();
        foreach (string line in stdout.Split('\n'))
        {
            if (!line.StartsWith(Marker + " ", StringComparison.Ordinal))
            {
                if (line.Length > 0)
                    body.Add(line);
                continue;
            }
            string[] fields = line.Split(' ', 5);
            if (outcomes.Count < ports.Length)
            {
                outcomes.Add(new CurlOutcome(ports[outcomes.Count], Number(fields[1]), Number(fields[2]), Number(fields[3]),
                    string.Join(' ', body), fields.Length > 4 ? fields[4].Trim() : ""));
            }
            body.Clear();
        }
        return outcomes;
    }

    private static int Number(string text) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : -1;
}
