namespace Forwarder.Announce;

/// <summary>The commands the forwarder sends BIRD and how their replies are read (codes from BIRD's doc/reply_codes).</summary>
public static class BirdCommands
{
    public const string Configure = "configure";
    public const string ShowProtocols = "show protocols all";

    /// <summary>Most protocols kept from one reply: each becomes a metric series, and a node runs a handful.</summary>
    public const int MaxProtocols = 256;

    /// <summary>Replies to <c>configure</c> that mean BIRD took the configuration: 0003 Reconfigured, 0004 in progress, 0005 queued, 0018 confirmed, 0019 nothing to do.</summary>
    private static readonly int[] ConfigureAccepted = [3, 4, 5, 18, 19];

    /// <summary>The result of <c>configure</c>: failed unless BIRD's final code says it took the configuration.</summary>
    public static BirdResult CheckConfigure(BirdResult result)
    {
        if (!result.Succeeded || result.Reply is not { } reply || ConfigureAccepted.Contains(reply.Code))
            return result;
        return BirdResult.Failed(reply.Code < 1000 ? BirdErrorKind.Refused : BirdErrorKind.Protocol,
            $"BIRD did not take the configuration: {reply.Code:D4} {reply.Text}");
    }

    /// <summary>
    /// The protocols in a <c>show protocols</c> reply: each 1002 line is <c>name proto table state since info</c>.
    /// A BGP session is up only when established; other protocols when their state is <c>up</c>.
    /// </summary>
    public static IReadOnlyList<BirdProtocol> ReadProtocols(BirdReply reply)
    {
        var protocols = new List<BirdProtocol>();
        foreach (BirdReplyLine line in reply.Lines.Where(l => l.Code == 1002))
        {
            string[] fields = line.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4)
                continue;
            bool up = fields[3] == "up";
            if (fields[1] == "BGP")
                up &= line.Text.Contains("Established", StringComparison.Ordinal);
            protocols.Add(new BirdProtocol(fields[0], fields[1], up));
            if (protocols.Count == MaxProtocols)
                break;
        }
        return protocols;
    }
}

/// <summary>One protocol of BIRD's <c>show protocols</c>: its name, kind (<c>BGP</c>, <c>BFD</c>, <c>Static</c>, ...) and whether it is up.</summary>
public sealed record BirdProtocol(string Name, string Kind, bool Up);
