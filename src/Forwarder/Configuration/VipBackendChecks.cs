using System.Net;
using System.Net.Sockets;
using Forwarder.Packets;

namespace Forwarder.Configuration;

/// <summary>
/// Checks a VIP's backends against each other and against the VIP: no backend twice, no backend that is
/// the VIP itself, address families the mode can carry, the GUE source each backend family needs. Warns
/// when the VIP would drop everything or its ring is too small for even shares.
/// </summary>
internal static class VipBackendChecks
{
    /// <summary>Maglev's rule of thumb: a ring of at least 100 slots per backend keeps shares within about 1%.</summary>
    private const int SlotsPerBackendForEvenShares = 100;

    /// <param name="allBackendsRead">Whether every entry of the list was read without error; warnings about the list need the whole list.</param>
    public static void Check(ParsedVip parsed, IReadOnlyList<ParsedBackend> backends, bool allBackendsRead, GueConfig? gue, ConfigDiagnostics diagnostics)
    {
        VipConfig vip = parsed.Config;
        CheckDuplicates(backends, diagnostics);
        foreach (ParsedBackend backend in backends)
        {
            if (backend.Config.Address.Equals(vip.Address))
                diagnostics.Error(ConfigPath.Member(backend.Path, "address"), backend.AddressNode, $"{vip.Address} is the VIP's own address; a backend must be another host");
        }
        if (vip.Mode == ForwardingMode.Nat)
            CheckNat(vip, backends, diagnostics);
        if (vip.Mode is ForwardingMode.Ipip or ForwardingMode.Gue && vip.Address.AddressFamily == AddressFamily.InterNetworkV6)
            CheckNoIpv4Backends(vip, backends, diagnostics);
        if (vip.HealthCheck?.Via == HealthCheckVia.Vip && vip.Mode is ForwardingMode.Ipip or ForwardingMode.Gue)
            CheckProbeFamilies(vip, backends, diagnostics);
        if (vip.Mode == ForwardingMode.Gue && gue is not null)
        {
            CheckGueSource(backends, AddressFamily.InterNetwork, gue.SourceV4, "source_v4", diagnostics);
            CheckGueSource(backends, AddressFamily.InterNetworkV6, gue.SourceV6, "source_v6", diagnostics);
        }
        if (allBackendsRead)
            Warn(parsed, backends, diagnostics);
    }

    /// <summary>A probe through the VIP is encapsulated in the backend's family, which must be the VIP's (healthcheck.c keeps them equal).</summary>
    private static void CheckProbeFamilies(VipConfig vip, IReadOnlyList<ParsedBackend> backends, ConfigDiagnostics diagnostics)
    {
        foreach (ParsedBackend backend in backends.Where(b => b.Config.Address.AddressFamily != vip.Address.AddressFamily))
        {
            diagnostics.Error(ConfigPath.Member(backend.Path, "address"), backend.AddressNode,
                $"healthcheck via: vip cannot probe {backend.Config.Address} through {vip.Address}: probes are encapsulated only in the VIP's own address family; use via: backend for this VIP, or a backend address of the VIP's family");
        }
    }

    private static void CheckDuplicates(IReadOnlyList<ParsedBackend> backends, ConfigDiagnostics diagnostics)
    {
        var seen = new Dictionary<EndpointKey, ParsedBackend>();
        foreach (ParsedBackend backend in backends)
        {
            var key = new EndpointKey(backend.Config.Address, backend.Config.Port ?? -1, protocol: 0);
            if (seen.TryAdd(key, backend))
                continue;
            ParsedBackend first = seen[key];
            string what = backend.Config.Port is { } port ? $"{backend.Config.Address} port {port}" : backend.Config.Address.ToString();
            diagnostics.Error(ConfigPath.Member(backend.Path, "address"), backend.AddressNode,
                $"{what} is already {LastSegment(first.Path)} (line {first.Node.Line}); list a backend once and give it a weight instead");
        }
    }

    private static void CheckNat(VipConfig vip, IReadOnlyList<ParsedBackend> backends, ConfigDiagnostics diagnostics)
    {
        foreach (ParsedBackend backend in backends)
        {
            if (backend.Config.Address.AddressFamily != vip.Address.AddressFamily)
            {
                diagnostics.Error(ConfigPath.Member(backend.Path, "address"), backend.AddressNode,
                    $"{backend.Config.Address} is {FamilyName(backend.Config.Address)} but the VIP is {FamilyName(vip.Address)}; nat cannot translate between families");
            }
            if (vip.Port == 0 && backend.PortNode is not null)
            {
                diagnostics.Error(ConfigPath.Member(backend.Path, "port"), backend.PortNode,
                    "this VIP serves every port (port 0) and keeps each packet's port; a backend port needs a VIP with a port");
            }
        }
    }

    /// <summary>An IPv6 packet is encapsulated in IPv6 only (as Katran does): its backends must be IPv6.</summary>
    private static void CheckNoIpv4Backends(VipConfig vip, IReadOnlyList<ParsedBackend> backends, ConfigDiagnostics diagnostics)
    {
        foreach (ParsedBackend backend in backends.Where(b => b.Config.Address.AddressFamily == AddressFamily.InterNetwork))
        {
            diagnostics.Error(ConfigPath.Member(backend.Path, "address"), backend.AddressNode,
                $"{backend.Config.Address} is IPv4 but the VIP is IPv6; {ConfigNames.Of(ConfigNames.Modes, vip.Mode)} carries IPv6 packets to IPv6 backends only");
        }
    }

    private static void CheckGueSource(IReadOnlyList<ParsedBackend> backends, AddressFamily family, IPAddress? source, string key, ConfigDiagnostics diagnostics)
    {
        if (source is not null)
            return;
        // One error per VIP and family is enough: it points at the first backend that needs the source.
        ParsedBackend? first = backends.FirstOrDefault(b => b.Config.Address.AddressFamily == family);
        if (first is not null)
        {
            diagnostics.Error(ConfigPath.Member(first.Path, "address"), first.AddressNode,
                $"{first.Config.Address} is {FamilyName(first.Config.Address)} and the VIP uses gue, which needs gue.{key} (the outer source address towards {FamilyName(first.Config.Address)} backends)");
        }
    }

    private static void Warn(ParsedVip parsed, IReadOnlyList<ParsedBackend> backends, ConfigDiagnostics diagnostics)
    {
        int serving = backends.Count(b => b.Config.Weight > 0);
        string backendsPath = ConfigPath.Member(parsed.Path, "backends");
        if (backends.Count == 0)
            diagnostics.Warning(backendsPath, parsed.Node, "the VIP has no backends: its packets are dropped (and counted)");
        else if (serving == 0)
            diagnostics.Warning(backendsPath, parsed.Node, "every backend has weight 0: the VIP's packets are dropped (and counted)");

        int ringSize = parsed.Config.Maglev.RingSize;
        if (serving > 1 && (long)serving * SlotsPerBackendForEvenShares > ringSize)
        {
            diagnostics.Warning(ConfigPath.Member(parsed.Path, "maglev.ring_size"), parsed.Node,
                $"{ringSize} slots for {serving} backends gives uneven shares; use a prime of at least {serving * SlotsPerBackendForEvenShares}");
        }
    }

    private static string FamilyName(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork ? "IPv4" : "IPv6";

    /// <summary>"vips[0].backends[1]" → "backends[1]": within one VIP the short form reads better.</summary>
    private static string LastSegment(string path) => path[(path.LastIndexOf('.') + 1)..];
}
