using System.Globalization;
using Forwarder.ControlPlane;

namespace Forwarder.Cli;

/// <summary>How <c>forwarder flow</c> prints a <see cref="FlowAnswer"/>: one fact a line, the backend first.</summary>
internal static class FlowText
{
    public static void Write(FlowAnswer a, TextWriter output)
    {
        output.WriteLine($"flow {a.Client} -> {a.Vip} ({a.Protocol}), table version {a.TableVersion}");
        output.WriteLine(a.Backend is { } b
            ? $"  backend       {Name(b)} (id {b.Id}, weight {b.Weight}, {b.Health})"
            : "  backend       none: no backend can take traffic, packets are dropped (no_backend)");
        if (a.Quic is { } quic)
            output.WriteLine($"  quic cid      {Quic(quic)}");
        output.WriteLine($"  mode          {a.Mode}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  flow hash     {a.FlowHashHex} ({a.FlowHash}) over client port {a.HashedSourcePort}, VIP port {a.HashedDestinationPort}"));
        output.WriteLine($"  hash options  {(a.HashOptions.Count == 0 ? "none (both ports hashed)" : string.Join(", ", a.HashOptions))}");
        output.WriteLine(a.Slot is { } slot ? $"  ring slot     {slot} of {a.RingSize}" : "  ring slot     none (no table)");
        output.WriteLine($"  table digest  {a.Digest}");
        output.WriteLine($"  queue         {a.Queue}");
        if (a.ConnectionTables == 0)
            output.WriteLine("  connections   none kept (the forwarder runs without connection tables)");
        else if (a.Connections.Count == 0)
            output.WriteLine($"  connections   none remembered ({a.ConnectionTables} tables read)");
        else
        {
            output.WriteLine($"  connections   {a.Connections.Count} of {a.ConnectionTables} tables remember it:");
            foreach (FlowConnection c in a.Connections)
            {
                output.WriteLine(c.State == "unsettled"
                    ? $"    q{c.Queue} unsettled: the worker changed the entry throughout the reading; ask again"
                    : string.Create(CultureInfo.InvariantCulture, $"    q{c.Queue} {c.State}, remembered {c.Remembered}, idle {c.IdleSeconds:0.###} s; next packet (not a SYN) -> {c.NextPacket}"));
            }
        }
        foreach (string note in a.Notes)
            output.WriteLine($"  note: {note}");
    }

    /// <summary><c>v1 server id 4097 -> 10.0.0.22 (cid_routed)</c>, or why the Maglev choice takes the packet.</summary>
    private static string Quic(FlowQuic q)
    {
        string to = q.Backend is { } b ? Name(b) : "none, dropped (no_backend)";
        string id = q.ServerId is { } serverId ? $"v{q.CidVersion} server id {serverId}" : $"v{q.CidVersion}, no server id";
        return q.Outcome switch
        {
            "cid_routed" => $"{id} -> {to} ({q.Outcome})",
            "unknown_server_id" => $"{id}, unknown: Maglev choice -> {to} ({q.Outcome})",
            "retired_server_id" => $"{id}, retired (its backend is down or was removed): Maglev choice -> {to} ({q.Outcome})",
            _ => $"{id}: Maglev choice -> {to} ({q.Outcome})",
        };
    }

    private static string Name(FlowBackend b) => b.Port is { } port
        ? (b.Address.Contains(':') ? $"[{b.Address}]:{port}" : $"{b.Address}:{port}")
        : b.Address;
}
