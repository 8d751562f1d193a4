using System.Net;
using AfXdp;

namespace Forwarder.Decap;

/// <summary>
/// Puts bpf/decap.c on a backend's interface and leaves it there, takes it off again, and reports
/// on it. The attached program is the only state: configuration lives in its maps, filled before
/// it is attached, and later commands find the program (and through it the maps) by asking the
/// interface. Attaching again reconfigures by replacing the program in one step, so encapsulated
/// traffic is never left without a decapsulator; the counters then start from zero.
/// Programs that are not the decap program are never replaced or removed.
/// </summary>
public static class DecapAttachment
{
    public static DecapAttachResult Attach(DecapOptions options)
    {
        if (options.GuePort is < 0 or > ushort.MaxValue)
            throw new ArgumentException($"GUE port {options.GuePort}: give 1-65535, or 0 to turn GUE off");
        NetworkInterface nic = NetworkInterface.Get(options.Interface);
        (InterfaceXdpProgram? existing, InterfaceXdpProgram? foreign) = Find(nic.Index);
        if (foreign is not null)
            throw ForeignProgram(nic.Name, foreign, "attach the decap program");

        IReadOnlyList<IPAddress> destinations = options.AnyDestination ? [] : AcceptedDestinations(options);

        using XdpProgram program = XdpProgram.Load(options.ObjectPath, DecapProgram.KernelName);
        program.GetMap(DecapProgram.ConfigMap).Update(0u, DecapSettings.Create(options.GuePort, options.AnyDestination));
        BpfMap destinationMap = program.GetMap(DecapProgram.DestinationsMap);
        foreach (IPAddress address in destinations)
            destinationMap.Update(DecapDestinationKey.From(address), 1u);

        if (existing is not null && existing.Mode != options.XdpMode)
        {
            // One mode cannot replace the other atomically: the old program goes first.
            XdpProgram.Detach(nic.Index, existing.Mode, existing.Attached);
            program.Attach(nic.Index, options.XdpMode);
        }
        else
        {
            program.Attach(nic.Index, options.XdpMode, replacing: existing?.Attached);
        }
        // Disposing the loaded object then closes this process's handles only: the attachment keeps the program.
        program.LeaveAttached();
        InterfaceXdpProgram attached = Find(nic.Index).Decap
            ?? throw new InvalidOperationException($"the decap program vanished from {nic.Name} right after being attached");
        return new DecapAttachResult(attached, options.GuePort, options.AnyDestination, destinations, existing);
    }

    /// <summary>Removes the decap program; returns it, or null when none was attached. Refuses to touch any other program.</summary>
    public static InterfaceXdpProgram? Detach(string interfaceName)
    {
        NetworkInterface nic = NetworkInterface.Get(interfaceName);
        (InterfaceXdpProgram? decap, InterfaceXdpProgram? foreign) = Find(nic.Index);
        if (decap is null)
        {
            return foreign is null ? null : throw ForeignProgram(nic.Name, foreign, "detach");
        }
        XdpProgram.Detach(nic.Index, decap.Mode, decap.Attached);
        return decap;
    }

    /// <summary>The attached decap program's configuration and counters; throws when it is not attached.</summary>
    public static DecapStatus Status(string interfaceName)
    {
        NetworkInterface nic = NetworkInterface.Get(interfaceName);
        (InterfaceXdpProgram? decap, InterfaceXdpProgram? foreign) = Find(nic.Index);
        if (decap is null)
        {
            throw foreign is null
                ? new InvalidOperationException($"no decap program is attached to {nic.Name} (attach it with: forwarder decap attach --iface {nic.Name})")
                : ForeignProgram(nic.Name, foreign, "report on it");
        }
        using AttachedDecapMaps maps = AttachedDecapMaps.Open(decap);
        DecapSettings settings = maps.ReadSettings();
        return new DecapStatus(decap, settings.GuePort, settings.AnyDestination, maps.ReadDestinations(), maps.ReadCounters());
    }

    private static (InterfaceXdpProgram? Decap, InterfaceXdpProgram? Foreign) Find(int ifindex)
    {
        InterfaceXdpProgram[] programs = [.. AttachedIn(ifindex, XdpMode.Native), .. AttachedIn(ifindex, XdpMode.Skb)];
        return (programs.FirstOrDefault(p => p.Name == DecapProgram.KernelName), programs.FirstOrDefault(p => p.Name != DecapProgram.KernelName));
    }

    private static InterfaceXdpProgram[] AttachedIn(int ifindex, XdpMode mode) =>
        XdpProgram.QueryAttached(ifindex, mode) is { } attached ? [new InterfaceXdpProgram(attached.Id, attached.Name, mode)] : [];

    private static IReadOnlyList<IPAddress> AcceptedDestinations(DecapOptions options)
    {
        IReadOnlyList<IPAddress> addresses = options.Addresses.Count > 0
            ? options.Addresses.Select(a => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Distinct().ToArray()
            : InterfaceAddresses.Of(options.Interface);
        if (addresses.Count == 0)
        {
            throw new InvalidOperationException(
                $"{options.Interface} has no address to accept as outer destination: give --address ADDR (repeatable) or --any-destination");
        }
        if (addresses.Count > DecapProgram.MaxDestinations)
            throw new ArgumentException($"{addresses.Count} addresses: at most {DecapProgram.MaxDestinations} outer destinations are supported");
        return addresses;
    }

    private static InvalidOperationException ForeignProgram(string interfaceName, InterfaceXdpProgram foreign, string action) => new(
        $"{interfaceName} has another XDP program attached ('{foreign.Name}', id {foreign.Id}, {foreign.ModeName} mode), not the decap program: " +
        $"refusing to {action}. Remove it first (ip link set dev {interfaceName} xdp off) if it is not needed.");
}
