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
        if (vip.Backends.Any(b => b.Id == backend.Id))
        {
            throw new InvalidRequestException($"VIP {id} already has backend {backend.Id}; " +
                $"change its weight with PUT {PathOf(id, backend.Id, "/weight")}");
        }
        return ReplaceVip(config, vip, vip with { Backends = vip.Backends.Append(backend).ToEquatableArray() });
    }

    public static ForwarderConfig RemoveBackend(ForwarderConfig config, VipIdentity id, BackendId name)
    {
        VipConfig vip = FindVip(config, id);
        BackendConfig backend = FindBackend(vip, id, name);
        return ReplaceVip(config, vip, vip with { Backends = vip.Backends.Where(b => !ReferenceEquals(b, backend)).ToEquatableArray() });
    }

    /// <summary>Sets a backend's weight; 0 drains it (listed, sent nothing).</summary>
    public static ForwarderConfig SetWeight(ForwarderConfig config, VipIdentity id, BackendId name, uint weight)
    {
        VipConfig vip = FindVip(config, id);
        BackendConfig backend = FindBackend(vip, id, name);
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

    /// <summary>
    /// The backend <paramref name="name"/> names: the one with exactly that address and port; failing that, a
    /// name without a port also names the only backend at its address. A nat VIP may list one address
    /// with several ports: an address alone that fits several of them is refused, naming each.
    /// </summary>
    public static BackendConfig FindBackend(VipConfig vip, VipIdentity id, BackendId name)
    {
        if (vip.Backends.FirstOrDefault(b => b.Id == name) is { } exact)
            return exact;
        BackendConfig[] matches = name.Port is null ? vip.Backends.Where(b => b.Address.Equals(name.Address)).ToArray() : [];
        return matches.Length switch
        {
            1 => matches[0],
            0 => throw new UnknownTargetException(vip.Backends.Count == 0
                ? $"VIP {id} has no backend {name}: it has no backends"
                : $"VIP {id} has no backend {name}; its backends are: {string.Join(", ", vip.Backends.Select(b => b.Id))}"),
            _ => throw new InvalidRequestException($"VIP {id} has {matches.Length} backends at {name.Address}: " +
                $"{string.Join(", ", matches[..^1].Select(b => b.Id))} and {matches[^1].Id}; name one with its port, " +
                $"as ADDRESS:PORT (e.g. {matches[0].Id}) or with ?port=N"),
        };
    }

    /// <summary>A backend's URL: <c>/vips/10.100.0.1/80/tcp/backends/10.0.0.2</c>, with <c>?port=N</c> after <paramref name="suffix"/> when it has a port.</summary>
    public static string PathOf(VipIdentity vip, BackendId backend, string suffix = "") =>
        $"{VipRoute.PathOf(vip)}/backends/{backend.Address}{suffix}{(backend.Port is { } port ? $"?port={port}" : "")}";

    private static ForwarderConfig ReplaceVip(ForwarderConfig config, VipConfig old, VipConfig updated) =>
        config with { Vips = config.Vips.Select(v => ReferenceEquals(v, old) ? updated : v).ToEquatableArray() };
}
