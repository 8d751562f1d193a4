using System.Net;
using Forwarder.Configuration;
using Forwarder.ControlPlane;

namespace Forwarder.Api;

/// <summary>
/// The edits the API makes, as pure functions from one configuration to the next. They only find and
/// replace; whether the result is valid is decided by the runtime, which loads it exactly as a file.
/// A VIP or backend that is not there is an <see cref="UnknownTargetException"/> naming what is.
/// </summary>
public static class ConfigEdits
{
    public static ForwarderConfig AddVip(ForwarderConfig config, VipConfig vip)
    {
        VipIdentity id = VipIdentity.Of(vip);
        if (config.Vips.Any(v => VipIdentity.Of(v) == id))
            throw new InvalidRequestException($"VIP {id} already exists; add backends with POST {VipRoute.PathOf(id)}/backends, or remove it first");
        return config with { Vips = config.Vips.Append(vip).ToEquatableArray() };
    }

    public static ForwarderConfig RemoveVip(ForwarderConfig config, VipIdentity id)
    {
        VipConfig vip = FindVip(config, id);
        return config with { Vips = config.Vips.Where(v => !ReferenceEquals(v, vip)).ToEquatableArray() };
    }

    public static ForwarderConfig AddBackend(ForwarderConfig config, VipIdentity id, BackendConfig backend)
    {
        VipConfig vip = FindVip(config, id);
        if (vip.Backends.Any(b => b.Address.Equals(backend.Address) && b.Port == backend.Port))
        {
            throw new InvalidRequestException($"VIP {id} already has backend {Describe(backend)}; " +
                $"change its weight with PUT {VipRoute.PathOf(id)}/backends/{backend.Address}/weight");
        }
        return ReplaceVip(config, vip, vip with { Backends = vip.Backends.Append(backend).ToEquatableArray() });
    }

    public static ForwarderConfig RemoveBackend(ForwarderConfig config, VipIdentity id, IPAddress address, ushort? port)
    {
        VipConfig vip = FindVip(config, id);
        BackendConfig backend = FindBackend(vip, id, address, port);
        return ReplaceVip(config, vip, vip with { Backends = vip.Backends.Where(b => !ReferenceEquals(b, backend)).ToEquatableArray() });
    }

    /// <summary>Sets a backend's weight; 0 drains it (listed, sent nothing).</summary>
    public static ForwarderConfig SetWeight(ForwarderConfig config, VipIdentity id, IPAddress address, ushort? port, uint weight)
    {
        VipConfig vip = FindVip(config, id);
        BackendConfig backend = FindBackend(vip, id, address, port);
        return ReplaceVip(config, vip, vip with
        {
            Backends = vip.Backends.Select(b => ReferenceEquals(b, backend) ? b with { Weight = weight } : b).ToEquatableArray(),
        });
    }

    public static VipConfig FindVip(ForwarderConfig config, VipIdentity id) =>
        config.Vips.FirstOrDefault(v => VipIdentity.Of(v) == id)
        ?? throw new UnknownTargetException(config.Vips.Count == 0
            ? $"no VIP {id}: no VIP is configured"
            : $"no VIP {id}; the VIPs are: {string.Join(", ", config.Vips.Select(VipIdentity.Of))}");

    /// <summary>The backend at <paramref name="address"/>; under nat, where one address may be listed with several ports, <paramref name="port"/> says which.</summary>
    private static BackendConfig FindBackend(VipConfig vip, VipIdentity id, IPAddress address, ushort? port)
    {
        BackendConfig[] matches = vip.Backends.Where(b => b.Address.Equals(address) && (port is null || b.Port == port)).ToArray();
        return matches.Length switch
        {
            1 => matches[0],
            0 => throw new UnknownTargetException(vip.Backends.Count == 0
                ? $"VIP {id} has no backend {address}{PortSuffix(port)}: it has no backends"
                : $"VIP {id} has no backend {address}{PortSuffix(port)}; its backends are: {string.Join(", ", vip.Backends.Select(Describe))}"),
            _ => throw new InvalidRequestException($"VIP {id} lists {address} with ports {string.Join(" and ", matches.Select(b => b.Port?.ToString() ?? "none"))}; " +
                "say which with ?port=N"),
        };
    }

    private static ForwarderConfig ReplaceVip(ForwarderConfig config, VipConfig old, VipConfig updated) =>
        config with { Vips = config.Vips.Select(v => ReferenceEquals(v, old) ? updated : v).ToEquatableArray() };

    private static string Describe(BackendConfig backend) => $"{backend.Address}{PortSuffix(backend.Port)}";

    private static string PortSuffix(ushort? port) => port is { } p ? $" port {p}" : "";
}
