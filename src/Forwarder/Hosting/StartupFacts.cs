using AfXdp;
using Forwarder.Hosting.Privileges;
using Forwarder.Interop;

namespace Forwarder.Hosting;

/// <summary>
/// What <see cref="StartupChecks"/> looks at, read from this machine by <see cref="Gather"/> (or made up
/// by a test): the calling thread's capabilities, the memlock limit and the interface.
/// </summary>
public sealed record StartupFacts
{
    public required ProcessCapabilities Capabilities { get; init; }

    /// <summary>True when a privileged predecessor set up the sockets, UMEMs and program and exec'd this process.</summary>
    public bool HandedOver { get; init; }

    /// <summary>The soft RLIMIT_MEMLOCK in bytes; <see cref="ulong.MaxValue"/> = unlimited.</summary>
    public ulong MemlockLimit { get; init; } = ulong.MaxValue;

    /// <summary>The interface, or null when it could not be read (<see cref="InterfaceProblem"/> says why).</summary>
    public InterfaceFacts? Interface { get; init; }

    public string? InterfaceProblem { get; init; }

    /// <param name="known">A program this process holds a descriptor of (its name can be read without CAP_SYS_ADMIN).</param>
    public static unsafe StartupFacts Gather(ForwarderOptions options, bool handedOver, AttachedProgram? known)
    {
        Posix.RLimit memlock = default;
        ulong limit = Posix.GetRLimit(Posix.RLIMIT_MEMLOCK, &memlock) == 0 ? memlock.Current : ulong.MaxValue;
        var facts = new StartupFacts { Capabilities = ProcessCapabilities.OfCurrentThread(), HandedOver = handedOver, MemlockLimit = limit };
        try
        {
            NetworkInterface iface = NetworkInterface.Get(options.Interface);
            return facts with { Interface = new InterfaceFacts(iface.Name, iface.Mtu, iface.RxQueues, XdpProgram.QueryAttached(iface.Index, known)) };
        }
        catch (XdpException e) when (e.Call == "if_nametoindex")
        {
            return facts with { InterfaceProblem = $"there is no interface '{options.Interface}' in this network namespace (see ip link); start the forwarder in the interface's namespace, e.g. with nsenter --net=/run/netns/NAME" };
        }
        catch (Exception e) when (e is XdpException or ArgumentException)
        {
            return facts with { InterfaceProblem = $"interface '{options.Interface}': {e.Message}" };
        }
    }
}
