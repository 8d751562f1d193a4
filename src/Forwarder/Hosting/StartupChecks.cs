using AfXdp;
using Forwarder.Configuration;
using Forwarder.Hosting.Privileges;
using Forwarder.Steering;

namespace Forwarder.Hosting;

/// <summary>
/// What must hold before <c>forwarder run</c> sets anything up, checked all at once: each problem is one
/// message naming what to change. Pure: it judges <see cref="StartupFacts"/>, whoever gathered them.
/// </summary>
public static class StartupChecks
{
    /// <summary>The kernel keeps this much of every UMEM frame for itself in front of a received packet (XDP_PACKET_HEADROOM).</summary>
    public const int KernelHeadroom = 256;

    /// <summary>An Ethernet header with one VLAN tag.</summary>
    public const int LinkHeaderBytes = 18;

    public static IReadOnlyList<string> Check(ForwarderOptions options, StartupFacts facts)
    {
        var problems = new List<string>();
        if (!facts.HandedOver)
        {
            if (MissingCapabilities(facts.Capabilities) is { } missing)
                problems.Add(missing);
            if (LockedMemory(options, facts) is { } memory)
                problems.Add(memory);
        }
        if (facts.Interface is not { } iface)
        {
            problems.Add(facts.InterfaceProblem ?? $"interface '{options.Interface}' could not be read");
            return problems;
        }
        if (QueueAssignment.ProblemWithDevice(options.Queues, iface.Name, iface.RxQueues) is { } queues)
            problems.Add(queues);
        int largest = LargestMtu(options.Umem);
        if (iface.Mtu > largest)
        {
            problems.Add($"{iface.Name}'s MTU {iface.Mtu} is too large for a UMEM frame: a {options.Umem.FrameSize}-byte frame holds " +
                $"{options.Umem.FrameSize - KernelHeadroom - options.Umem.FrameHeadroom} bytes of packet after {KernelHeadroom + options.Umem.FrameHeadroom} bytes of headroom, " +
                $"so packets above MTU {largest} (with an Ethernet header and VLAN tag) would be dropped. Lower the interface's MTU: ip link set dev {iface.Name} mtu {largest}");
        }
        if (options.Config is { } config && ConfiguredMtuAbove(config, iface.Mtu, $"{iface.Name}'s MTU {iface.Mtu}") is { } configured)
            problems.Add(configured);
        if (iface.Attached is { } attached && attached.Name != RedirectProgram.KernelName)
            problems.Add(ForeignProgram(iface.Name, attached));
        return problems;
    }

    /// <summary>The largest interface MTU whose packets fit a UMEM frame laid out as <paramref name="umem"/> says (copy mode).</summary>
    public static int LargestMtu(UmemOptions umem) => (int)umem.FrameSize - KernelHeadroom - (int)umem.FrameHeadroom - LinkHeaderBytes;

    /// <summary>
    /// The configuration's MTU (<c>interface.mtu</c>, else <c>mtu</c>) checked against a limit: encapsulated packets
    /// up to it must fit through the interface (or a UMEM frame, for <c>forwarder check</c>, which has no device).
    /// </summary>
    public static string? ConfiguredMtuAbove(ForwarderConfig config, int limit, string what)
    {
        if (config.InterfaceMtu <= limit)
            return null;
        string setting = config.Interface.Mtu is null ? "mtu" : "interface.mtu";
        return $"the configuration's {setting} {config.InterfaceMtu} exceeds {what}: packets encapsulated up to that size could not be sent. " +
            $"Lower {setting} in the configuration file to at most {limit}";
    }

    private static string? MissingCapabilities(ProcessCapabilities capabilities)
    {
        (Capability Capability, string Why)[] missing = PrivilegeNeeds.MissingForSetUp(capabilities.Effective);
        if (missing.Length == 0)
            return null;
        string list = string.Join(", ", missing.Select(m => $"{CapabilitySet.NameOf(m.Capability)} ({m.Why})"));
        string[] unreachable = missing.Where(m => !capabilities.Bounding.Contains(m.Capability)).Select(m => CapabilitySet.NameOf(m.Capability)).ToArray();
        string bounded = unreachable.Length == 0 ? ""
            : $" {string.Join(", ", unreachable)} {(unreachable.Length == 1 ? "is" : "are")} outside this process's bounding set, so not even root gets {(unreachable.Length == 1 ? "it" : "them")} here: start it where the bounding set allows {(unreachable.Length == 1 ? "it" : "them")}.";
        return $"missing capabilities: {list}. Run it as root, or grant them: setcap cap_net_admin,cap_net_raw,cap_bpf,cap_perfmon,cap_setpcap+ep on the executable, " +
            $"or in a systemd unit CapabilityBoundingSet= and AmbientCapabilities= (see docs/forwarder.service).{bounded}";
    }

    private static string? LockedMemory(ForwarderOptions options, StartupFacts facts)
    {
        ulong needed = (ulong)options.Queues.Count * options.Umem.FrameCount * options.Umem.FrameSize;
        if (facts.Capabilities.Effective.Contains(Capability.IpcLock) || facts.MemlockLimit >= needed)
            return null;
        return $"locked memory: the UMEMs need {needed >> 20} MiB ({options.Queues.Count} queue(s) × {options.Umem.FrameCount} frames × {options.Umem.FrameSize} bytes), " +
            $"the memlock limit is {facts.MemlockLimit >> 10} KiB and CAP_IPC_LOCK is missing. Grant CAP_IPC_LOCK, or raise the limit " +
            "(ulimit -l unlimited; systemd LimitMEMLOCK=infinity), or use fewer --frames";
    }

    /// <summary>Why a program not of ours, attached to <paramref name="iface"/>, stops the start (checked again when attaching).</summary>
    public static string ForeignProgram(string iface, AttachedProgram attached) => attached.Name.Length > 0
        ? $"{iface} already has another XDP program attached ('{attached.Name}', id {attached.Id}). Remove it first (ip link set dev {iface} xdp off) if it is not needed"
        : $"{iface} already has an XDP program attached (id {attached.Id}) whose name cannot be read without CAP_SYS_ADMIN, so it cannot be told from a forwarder's. " +
          $"Remove it first (ip link set dev {iface} xdp off) if it is not needed";
}
