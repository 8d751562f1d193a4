using System.Globalization;
using System.Text.RegularExpressions;

namespace BenchReport;

/// <summary>
/// One reading of a veth's own counters, as <c>ethtool -S IF</c> prints them (<c>rx_queue_0_xdp_packets: 123</c>).
/// What each counts on the bench's veth pair (kernel 6.18, established by experiment, see bench/RESULTS.md):
/// <list type="bullet">
/// <item><c>rx_queue_N_xdp_packets</c>: frames the interface's NAPI took from its queue N (every frame that arrived
/// and ran its XDP program: frames from the peer's XDP_TX or ndo_xdp_xmit, and skbs the peer sent).</item>
/// <item><c>rx_queue_N_xdp_drops</c>, <c>_xdp_tx</c>, <c>_xdp_redirect</c>: those of them the program dropped, sent back
/// (XDP_TX) or redirected successfully — into an AF_XDP socket that is a frame placed on its RX ring.</item>
/// <item><c>rx_queue_N_drops</c>: frames whose redirect failed: into an AF_XDP socket, its RX ring was full or FILL empty.</item>
/// <item><c>tx_queue_N_xdp_xmit</c>, <c>_xdp_xmit_errors</c>: frames this interface sent to its peer by ndo_xdp_xmit
/// (the generator's live frames), taken by the peer's ring or refused because it was full.</item>
/// </list>
/// </summary>
public sealed partial class VethCounters
{
    private readonly Dictionary<string, ulong> _raw;

    private VethCounters(Dictionary<string, ulong> raw) => _raw = raw;

    public IReadOnlyDictionary<string, ulong> Raw => _raw;

    /// <summary>
    /// Parses <c>ethtool -S</c> output: one <c>name: value</c> a line, leading blanks allowed; the
    /// <c>NIC statistics:</c> header (a name without a value) and blank lines are skipped.
    /// </summary>
    public static VethCounters Parse(IEnumerable<string> lines)
    {
        var raw = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (string line in lines)
        {
            string text = line.Trim();
            if (text.Length == 0)
                continue;
            int colon = text.LastIndexOf(':');
            if (colon <= 0)
                throw new FormatException($"not an ethtool counter: '{line}'");
            string name = text[..colon].Trim(), value = text[(colon + 1)..].Trim();
            if (value.Length == 0)
                continue; // "NIC statistics:"
            if (name.Contains(' ') || !ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n))
                throw new FormatException($"bad ethtool counter '{line}'");
            if (!raw.TryAdd(name, n))
                throw new FormatException($"counter {name} appears twice");
        }
        return new VethCounters(raw);
    }

    /// <summary>The sum over every queue of <c>{rx|tx}_queue_N_{suffix}</c> (an exact suffix: <c>xdp_tx</c> is not <c>xdp_tx_errors</c>).</summary>
    public ulong SumOverQueues(string direction, string suffix)
    {
        ulong sum = 0;
        foreach ((string name, ulong value) in _raw)
        {
            Match m = QueueCounter().Match(name);
            if (m.Success && m.Groups[1].Value == direction && m.Groups[3].Value == suffix)
                sum += value;
        }
        return sum;
    }

    /// <summary>This reading minus an earlier one, counter by counter (counters present in both). Throws if one went backwards.</summary>
    public VethCounters Since(VethCounters earlier)
    {
        var delta = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach ((string name, ulong end) in _raw)
        {
            if (!earlier._raw.TryGetValue(name, out ulong start))
                continue;
            if (end < start)
                throw new FormatException($"counter {name} went backwards ({start} -> {end})");
            delta[name] = end - start;
        }
        return new VethCounters(delta);
    }

    [GeneratedRegex(@"^(rx|tx)_queue_(\d+)_(.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex QueueCounter();
}

/// <summary>The two interfaces of the bench: the generator's g0 and its peer l0, where the load balancer runs.</summary>
public enum Side
{
    /// <summary>g0, in the generator's namespace: the generator sends from it, the sink counts what comes back to it.</summary>
    Gen,

    /// <summary>l0, in the load balancer's namespace: XDP_DROP, XDP_TX or the forwarder's AF_XDP socket.</summary>
    Lb,
}

/// <summary>What a window's interface counters can tell, each from one interface's own counters.</summary>
public enum Quantity
{
    /// <summary>Frames the generator sent out of g0 (<c>tx_queue_*_xdp_xmit</c> + <c>_xdp_xmit_errors</c>), taken by l0 or not.</summary>
    Offered,

    /// <summary>Frames l0's ring took from g0 (g0's <c>tx_queue_*_xdp_xmit</c>; equal to l0's <c>rx_queue_*_xdp_packets</c> when only the generator sends).</summary>
    IntoL0,

    /// <summary>l0's XDP_DROP verdicts (<c>rx_queue_*_xdp_drops</c>): the drop case's rate.</summary>
    XdpDropL0,

    /// <summary>l0's XDP_TX verdicts sent back to g0 (<c>rx_queue_*_xdp_tx</c>).</summary>
    XdpTxL0,

    /// <summary>Frames l0 placed on the AF_XDP socket's RX ring (<c>rx_queue_*_xdp_redirect</c>): what the forwarder received.</summary>
    RedirectL0,

    /// <summary>Frames l0 could not redirect (<c>rx_queue_*_drops</c>): the socket's RX ring full or FILL empty.</summary>
    RedirectFailedL0,

    /// <summary>Frames that arrived at g0 from l0 (g0's <c>rx_queue_*_xdp_packets</c>): what came back, whatever sent it.</summary>
    BackAtG0,
}

public static class Quantities
{
    public static readonly IReadOnlyList<Quantity> All = Enum.GetValues<Quantity>();

    public static string Name(Quantity q) => q switch
    {
        Quantity.Offered => "offered",
        Quantity.IntoL0 => "into_l0",
        Quantity.XdpDropL0 => "xdp_drop_l0",
        Quantity.XdpTxL0 => "xdp_tx_l0",
        Quantity.RedirectL0 => "redirect_l0",
        Quantity.RedirectFailedL0 => "redirect_failed_l0",
        Quantity.BackAtG0 => "back_at_g0",
        _ => throw new ArgumentOutOfRangeException(nameof(q)),
    };

    /// <summary>The interface whose counters give <paramref name="q"/>.</summary>
    public static Side SideOf(Quantity q) => q is Quantity.Offered or Quantity.IntoL0 or Quantity.BackAtG0 ? Side.Gen : Side.Lb;

    /// <summary>The value of <paramref name="q"/> in a reading (or a difference of readings) of its interface.</summary>
    public static ulong Of(Quantity q, VethCounters c) => q switch
    {
        Quantity.Offered => c.SumOverQueues("tx", "xdp_xmit") + c.SumOverQueues("tx", "xdp_xmit_errors"),
        Quantity.IntoL0 => c.SumOverQueues("tx", "xdp_xmit"),
        Quantity.XdpDropL0 => c.SumOverQueues("rx", "xdp_drops"),
        Quantity.XdpTxL0 => c.SumOverQueues("rx", "xdp_tx"),
        Quantity.RedirectL0 => c.SumOverQueues("rx", "xdp_redirect"),
        Quantity.RedirectFailedL0 => c.SumOverQueues("rx", "drops"),
        Quantity.BackAtG0 => c.SumOverQueues("rx", "xdp_packets"),
        _ => throw new ArgumentOutOfRangeException(nameof(q)),
    };
}

/// <summary>One interface's counters at one window edge, read by bench/e2e.sh at <see cref="TimeNs"/> (CLOCK_REALTIME).</summary>
public sealed record CounterSample(int Edge, Side Side, long TimeNs, VethCounters Counters)
{
    /// <summary>
    /// Parses the fields after the case name of an <c>ifstat</c> record:
    /// <c>EDGE  SIDE  TIME_NS  name: value  name: value ...</c> (SIDE <c>gen</c> or <c>lb</c>).
    /// </summary>
    public static CounterSample Parse(IReadOnlyList<string> fields)
    {
        if (fields.Count < 3)
            throw new FormatException("ifstat needs EDGE SIDE TIME_NS and counters");
        if (!int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int edge))
            throw new FormatException($"bad window edge '{fields[0]}'");
        Side side = fields[1] switch
        {
            "gen" => Side.Gen,
            "lb" => Side.Lb,
            _ => throw new FormatException($"unknown interface side '{fields[1]}' (gen or lb)"),
        };
        if (!long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out long time) || time <= 0)
            throw new FormatException($"bad time '{fields[2]}'");
        return new CounterSample(edge, side, time, VethCounters.Parse(fields.Skip(3)));
    }
}

/// <summary>
/// One measuring window from the interfaces' own counters: both interfaces read at the window's start and end
/// edges, each with its own reading times.
/// </summary>
public sealed class InterfaceWindow
{
    private readonly VethCounters _gen, _lb;

    public InterfaceWindow(int index, double genSeconds, double lbSeconds, VethCounters genDelta, VethCounters lbDelta)
    {
        Index = index;
        GenSeconds = genSeconds;
        LbSeconds = lbSeconds;
        _gen = genDelta;
        _lb = lbDelta;
    }

    public int Index { get; }
    public double GenSeconds { get; }
    public double LbSeconds { get; }

    public double Seconds(Side side) => side == Side.Gen ? GenSeconds : LbSeconds;

    public ulong Packets(Quantity q) => Quantities.Of(q, Quantities.SideOf(q) == Side.Gen ? _gen : _lb);

    /// <summary>Packets per second of <paramref name="q"/> over the window, timed by its own interface's readings.</summary>
    public double Rate(Quantity q) => Packets(q) / Seconds(Quantities.SideOf(q));

    /// <summary>
    /// The windows between consecutive edges of one case's samples. Every edge needs both interfaces; times must
    /// increase and counters must not go backwards.
    /// </summary>
    public static List<InterfaceWindow> FromSamples(IEnumerable<CounterSample> samples)
    {
        var edges = new SortedDictionary<int, Dictionary<Side, CounterSample>>();
        foreach (CounterSample s in samples)
        {
            if (!edges.TryGetValue(s.Edge, out Dictionary<Side, CounterSample>? sides))
                edges[s.Edge] = sides = [];
            if (!sides.TryAdd(s.Side, s))
                throw new FormatException($"edge {s.Edge} has two {s.Side} readings");
        }
        var windows = new List<InterfaceWindow>();
        Dictionary<Side, CounterSample>? previous = null;
        foreach ((int edge, Dictionary<Side, CounterSample> sides) in edges)
        {
            foreach (Side side in new[] { Side.Gen, Side.Lb })
            {
                if (!sides.ContainsKey(side))
                    throw new FormatException($"edge {edge} has no {side.ToString().ToLowerInvariant()} reading");
            }
            if (previous is not null)
            {
                double genSeconds = Elapsed(previous[Side.Gen], sides[Side.Gen]);
                double lbSeconds = Elapsed(previous[Side.Lb], sides[Side.Lb]);
                windows.Add(new InterfaceWindow(edge, genSeconds, lbSeconds,
                    sides[Side.Gen].Counters.Since(previous[Side.Gen].Counters), sides[Side.Lb].Counters.Since(previous[Side.Lb].Counters)));
            }
            previous = sides;
        }
        return windows;
    }

    private static double Elapsed(CounterSample start, CounterSample end)
    {
        if (end.TimeNs <= start.TimeNs)
            throw new FormatException($"edge {end.Edge} ({end.Side}) is not later than edge {start.Edge}");
        return (end.TimeNs - start.TimeNs) / 1e9;
    }
}
