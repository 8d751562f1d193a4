using System.Globalization;
using Forwarder.Api;

namespace Forwarder.Cli;

/// <summary>How <c>forwarder status</c> prints the API's status: one line per queue, VIP and backend, digests in full.</summary>
internal static class StatusText
{
    public static void Write(StatusReply status, TextWriter output)
    {
        output.WriteLine($"forwarder on {status.Interface}: table version {status.Version}, {status.Vips.Count} VIP(s), " +
            $"{status.RefusedChanges} refused change(s), {status.ApiFaults} API fault(s)");
        if (status.Liveness is { } liveness)
            output.WriteLine(Liveness(liveness));
        foreach (QueueStatus q in status.Queues)
        {
            output.WriteLine($"  queue {q.Queue} (cpu {q.Core}): rx {q.RxPackets} packets {Bytes(q.RxBytes)}, tx {q.TxPackets} packets {Bytes(q.TxBytes)}, " +
                $"drops {q.Drops}{(q.DropReasons.Count > 0 ? $" ({string.Join(", ", q.DropReasons.Select(r => $"{r.Key} {r.Value}"))})" : "")}");
        }
        foreach (VipStatus vip in status.Vips)
        {
            output.WriteLine($"vip {vip.Vip} {vip.Mode}, {vip.RingSize} slots, digest {vip.Digest}: {vip.Packets} packets {Bytes(vip.Bytes)}" +
                (vip.SourceNotAllowed is { } refused ? $", {refused} refused (source_not_allowed)" : ""));
            if (vip.Quic is { } quic)
                output.WriteLine(QuicLine(quic));
            if (vip.Backends.Count == 0)
                output.WriteLine("  no backends: its packets are dropped (no_backend)");
            foreach (BackendStatus b in vip.Backends)
            {
                output.WriteLine($"  backend {b.Backend} weight {b.Weight}{(b.Weight == 0 ? " (draining)" : "")} {b.Health}: " +
                    $"{b.Packets} packets {Bytes(b.Bytes)}" + (b.ReplyPackets > 0 ? $", replies {b.ReplyPackets} packets {Bytes(b.ReplyBytes)}" : ""));
            }
        }
        foreach (DownBackendStatus down in status.DownBackends)
            output.WriteLine($"down: {down.Backend} of {down.Vip}");
        if (status.Announce is { } announce)
            output.WriteLine(AnnounceLine(announce));
    }

    /// <summary>A quic VIP's connection-id routing counts: <c>  quic: cid_routed 10, maglev_routed 2, ...</c>.</summary>
    public static string QuicLine(IReadOnlyDictionary<string, long> counts) =>
        "  quic: " + string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"));

    /// <summary>
    /// One line: the state, how many VIPs are announced (and the first reason one is not), whether BIRD took the
    /// file, BIRD's BGP and BFD protocols, and the last error.
    /// </summary>
    public static string AnnounceLine(AnnounceStatus announce)
    {
        IReadOnlyList<AnnouncedVipStatus> vips = announce.Vips ?? [];
        string line = $"announce {announce.State}: {vips.Count(v => v.Announced)} of {vips.Count} VIP(s) announced";
        if (vips.FirstOrDefault(v => !v.Announced) is { } held)
            line += $" ({held.Vip} not: {held.Reason})";
        line += announce.BirdConfirmed ? $", BIRD took {announce.IncludeFile}" : $", BIRD has not taken {announce.IncludeFile}";
        BirdProtocolStatus[] sessions = (announce.Protocols ?? []).Where(p => p.Kind is "BGP" or "BFD").ToArray();
        if (sessions.Length > 0)
            line += "; " + string.Join(", ", sessions.Select(p => $"{p.Kind} {p.Name} {(p.Up ? "up" : "down")}"));
        if (announce.LastError is { } error)
            line += $"; last error: {error}";
        return line;
    }

    /// <summary>One line on the liveness device: up or down and why, the drain under way, the watchdog's stalls.</summary>
    public static string Liveness(LivenessStatus liveness)
    {
        string state = liveness.Draining ? $"down, draining for {liveness.DrainSeconds?.ToString("F1", CultureInfo.InvariantCulture)} s ({liveness.DrainTrigger})"
            : liveness.DeviceUp ? "up"
            : liveness.WatchdogWithdrawn ? "down, a worker stalled (watchdog)"
            : "down";
        return $"liveness device {liveness.Device}: {state}; {liveness.WatchdogStalls} watchdog stall(s)";
    }

    /// <summary>Bytes with a decimal unit: <c>0 B</c>, <c>1.5 kB</c>, <c>12.0 MB</c>.</summary>
    public static string Bytes(double bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB", "PB"];
        int unit = 0;
        while (Math.Abs(bytes) >= 1000 && unit < units.Length - 1)
        {
            bytes /= 1000;
            unit++;
        }
        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes:F0} B")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes:F1} {units[unit]}");
    }
}
