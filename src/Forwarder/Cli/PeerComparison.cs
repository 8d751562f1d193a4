namespace Forwarder.Cli;

/// <summary>The digests of several nodes compared VIP by VIP: the table to print and every disagreement, each naming the VIP and the nodes.</summary>
internal sealed class PeerComparison
{
    /// <summary>How much of a digest the table shows (the messages show digests in full).</summary>
    public const int ShownDigestLength = 12;

    private PeerComparison(IReadOnlyList<PeerDigests> peers, IReadOnlyList<string> vips, IReadOnlyList<string> problems)
    {
        Peers = peers;
        Vips = vips;
        Problems = problems;
    }

    public IReadOnlyList<PeerDigests> Peers { get; }

    public IReadOnlyList<string> Vips { get; }

    public IReadOnlyList<string> Problems { get; }

    public static PeerComparison Of(IReadOnlyList<PeerDigests> peers)
    {
        var problems = new List<string>();
        foreach (PeerDigests down in peers.Where(p => p.Digests is null))
            problems.Add($"{down.Peer}: {down.Error}");
        PeerDigests[] read = peers.Where(p => p.Digests is not null).ToArray();
        string[] vips = read.SelectMany(p => p.Digests!.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        foreach (string vip in vips)
        {
            string[] missing = read.Where(p => !p.Digests!.ContainsKey(vip)).Select(p => p.Peer).ToArray();
            if (missing.Length > 0)
                problems.Add($"VIP {vip} is missing on {string.Join(", ", missing)}");
            var groups = read.Where(p => p.Digests!.ContainsKey(vip)).GroupBy(p => p.Digests![vip], StringComparer.Ordinal).ToArray();
            if (groups.Length > 1)
            {
                problems.Add($"VIP {vip} has different tables: " +
                    string.Join("; ", groups.Select(g => $"digest {g.Key} on {string.Join(", ", g.Select(p => p.Peer))}")));
            }
        }
        return new PeerComparison(peers, vips, problems);
    }

    /// <summary>One row per VIP, one column per node: the digest's start, <c>-</c> where the node lacks the VIP, <c>?</c> where it could not be read.</summary>
    public void WriteTable(TextWriter output)
    {
        string[] header = ["VIP", .. Peers.Select(p => p.Peer)];
        List<string[]> rows = [header];
        foreach (string vip in Vips)
        {
            rows.Add([vip, .. Peers.Select(p => p.Digests is null ? "?"
                : p.Digests.TryGetValue(vip, out string? digest) ? digest[..Math.Min(ShownDigestLength, digest.Length)] : "-")]);
        }
        int[] widths = Enumerable.Range(0, header.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (string[] row in rows)
            output.WriteLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
    }
}
