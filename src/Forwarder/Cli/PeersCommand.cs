using System.CommandLine;
using Forwarder.Api;

namespace Forwarder.Cli;

/// <summary>
/// <c>forwarder peers check --peer URL ...</c>: reads every node's VIP table digests (<c>GET /status</c>) and prints
/// them side by side. The nodes of an ECMP group must hold the same tables, or a flow that moves between nodes changes
/// backend: exit 0 when every node has every VIP with the same digest, 1 naming each VIP and node that differ or each
/// node that cannot be read, 2 for a usage error.
/// </summary>
public static class PeersCommand
{
    public static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(5);

    public static Command Create()
    {
        var peers = new Option<string[]>("--peer")
        {
            Description = "A node's control API: http://ADDRESS:PORT, ADDRESS:PORT or unix:PATH (give --peer once per node)",
            AllowMultipleArgumentsPerToken = false,
            Required = true,
        };
        var tokenFile = new Option<string?>("--api-token-file") { Description = "File holding the nodes' API token (sent as Authorization: Bearer TOKEN)" };
        var check = new Command("check", "Compare every node's VIP table digests; exit 0 when all agree, 1 naming the VIPs and nodes that differ or cannot be read")
        {
            peers, tokenFile,
        };
        check.SetAction((parse, cancel) => Check(parse, parse.GetValue(peers) ?? [], parse.GetValue(tokenFile), cancel));
        return new Command("peers", "Look at the other nodes of an ECMP group") { check };
    }

    private static ApiAddress PeerAddress(string peer)
    {
        const string expected = "give the node's API address: http://ADDRESS:PORT, ADDRESS:PORT or unix:PATH, e.g. http://10.0.0.2:9180";
        try
        {
            return ApiAddress.Parse(peer) ?? throw new FormatException($"--peer '{peer}': {expected}");
        }
        catch (FormatException e) when (!e.Message.StartsWith("--peer", StringComparison.Ordinal))
        {
            throw new FormatException($"--peer '{peer}': {expected}");
        }
    }

    private static async Task<int> Check(ParseResult parse, string[] peers, string? tokenFile, CancellationToken cancel)
    {
        TextWriter output = parse.InvocationConfiguration.Output, errors = parse.InvocationConfiguration.Error;
        var targets = new List<(string Peer, ApiTarget Target)>();
        try
        {
            ApiToken? token = tokenFile is null ? null : ApiToken.ReadFile(tokenFile);
            foreach (string peer in peers.Distinct(StringComparer.Ordinal))
                targets.Add((peer, new ApiTarget(PeerAddress(peer), token)));
        }
        catch (FormatException e)
        {
            errors.WriteLine($"forwarder peers check: {e.Message}");
            return ApiCommandLine.UsageError;
        }
        if (targets.Count == 0)
        {
            errors.WriteLine("forwarder peers check: give at least one --peer");
            return ApiCommandLine.UsageError;
        }

        PeerDigests[] read = await Task.WhenAll(targets.Select(t => PeerDigests.ReadAsync(t.Peer, t.Target, cancel)));
        PeerComparison comparison = PeerComparison.Of(read);
        comparison.WriteTable(output);
        foreach (string problem in comparison.Problems)
            errors.WriteLine($"forwarder peers check: {problem}");
        if (comparison.Problems.Count > 0)
            return ApiCommandLine.Failure;
        output.WriteLine($"all {read.Length} node(s) agree on {comparison.Vips.Count} VIP(s)");
        return ApiCommandLine.Success;
    }
}
