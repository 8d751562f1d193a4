using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using AfXdp;
using Forwarder.IntegrationTests.Infrastructure;
using Forwarder.Steering;

namespace Forwarder.IntegrationTests.Steering;

/// <summary>
/// redirect.c run by the kernel over frames (BPF_PROG_RUN) with its tables written by <see cref="RedirectProgram"/>:
/// the one counter each frame lands in. No socket is bound, so a steered frame counts as no_socket (the redirect's
/// fallback), one left to the kernel as passed, host_passed or malformed. Covers what a veth cannot carry here (VLAN tags).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SteeringProgramTests
{
    private const string Steered = "no_socket", Passed = "passed", HostPassed = "host_passed", Malformed = "malformed";
    private const string Client = "192.0.2.7", Client6 = "2001:db8::7";
    private const string Vip = "10.100.0.1", AnyPortVip = "10.100.0.2", Vip6 = "fc00::100", Backend = "10.0.1.1", Backend6 = "fc00::1:1";
    private const string HostAddress = "10.0.0.254";

    private static RedirectProgram LoadSteering()
    {
        RedirectProgram program = RedirectProgram.Load(RedirectProgram.DefaultObjectPath);
        foreach (VipSpec vip in new[] { VipSpec.Parse($"{Vip}:80/tcp"), VipSpec.Parse($"{AnyPortVip}/udp"), VipSpec.Parse($"[{Vip6}]:443") })
            program.AddVip(vip);
        program.AddNatSource(VipMapKey.Create(IPAddress.Parse(Backend), 8080, ProtocolType.Tcp));
        program.AddNatSource(VipMapKey.ForAddress(IPAddress.Parse(Backend)));
        program.AddNatSource(VipMapKey.Create(IPAddress.Parse(Backend6), 0, ProtocolType.Udp));
        program.Flush();
        program.AddHostAddress(IPAddress.Parse(HostAddress));
        return program;
    }

    private static IEnumerable<(string Name, byte[] Frame, string Counter)> Fixtures()
    {
        byte[] icmpBody = FrameBuilder.Ipv4(Client, Vip).Udp(1, 2).BuildIpPacket();
        yield return ("tcp to a VIP port", FrameBuilder.Ipv4(Client, Vip).Tcp(40000, 80).Build(), Steered);
        yield return ("udp to a tcp-only VIP", FrameBuilder.Ipv4(Client, Vip).Udp(40000, 80).Build(), Passed);
        yield return ("tcp to another port of a VIP", FrameBuilder.Ipv4(Client, Vip).Tcp(40000, 81).Build(), Passed);
        yield return ("udp to an any-port VIP", FrameBuilder.Ipv4(Client, AnyPortVip).Udp(40000, 9999).Build(), Steered);
        yield return ("tcp to a v6 VIP", FrameBuilder.Ipv6(Client6, Vip6).Tcp(40000, 443).Build(), Steered);
        yield return ("udp to a v6 VIP (both protocols)", FrameBuilder.Ipv6(Client6, Vip6).Udp(40000, 443).Build(), Steered);
        yield return ("802.1Q-tagged tcp to a VIP", FrameBuilder.Ipv4(Client, Vip).Vlan(100).Tcp(40000, 80).Build(), Steered);
        yield return ("802.1ad-tagged tcp to a VIP", FrameBuilder.Ipv4(Client, Vip).Vlan(100, 0x88A8).Tcp(40000, 80).Build(), Steered);
        yield return ("v6 with hop-by-hop and destination options to a VIP",
            FrameBuilder.Ipv6(Client6, Vip6).Extension(0).Extension(60, 1).Tcp(40000, 443).Build(), Steered);
        yield return ("v4 first fragment to a VIP", FrameBuilder.Ipv4(Client, Vip).Ipv4Fragment(0x2000).Tcp(40000, 80).Build(), Steered);
        yield return ("v4 later fragment to a VIP", FrameBuilder.Ipv4(Client, Vip).Ipv4Fragment(0x0010).Udp(1, 2).Build(), Steered);
        yield return ("v6 fragment to a VIP", FrameBuilder.Ipv6(Client6, Vip6).FragmentHeader(8, more: false).Udp(1, 2).Build(), Steered);
        yield return ("v4 fragment elsewhere", FrameBuilder.Ipv4(Client, "10.0.0.99").Ipv4Fragment(0x2000).Udp(1, 2).Build(), Passed);
        yield return ("ping to a VIP", FrameBuilder.Ipv4(Client, Vip).Icmp(8, 0).Build(), Steered);
        yield return ("ICMPv6 echo to a v6 VIP", FrameBuilder.Ipv6(Client6, Vip6).Icmpv6(128, 0).Build(), Steered);
        yield return ("udp elsewhere", FrameBuilder.Ipv4(Client, "10.0.0.99").Udp(40000, 53).Build(), Passed);
        yield return ("v6 udp elsewhere", FrameBuilder.Ipv6(Client6, "fc00::99").Udp(40000, 53).Build(), Passed);
        yield return ("nat reply from the backend port", FrameBuilder.Ipv4(Backend, Client).Tcp(8080, 40000).Build(), Steered);
        yield return ("tcp from a nat backend's other port", FrameBuilder.Ipv4(Backend, Client).Tcp(22, 40000).Build(), Passed);
        yield return ("nat reply from an any-port v6 backend", FrameBuilder.Ipv6(Backend6, Client6).Udp(5353, 40000).Build(), Steered);
        yield return ("nat backend to this host", FrameBuilder.Ipv4(Backend, HostAddress).Tcp(8080, 40000).Build(), HostPassed);
        yield return ("ICMP error from a nat backend", FrameBuilder.Ipv4(Backend, Client).Icmp(3, 3, icmpBody).Build(), Steered);
        yield return ("ICMP error from a nat backend to this host", FrameBuilder.Ipv4(Backend, HostAddress).Icmp(3, 3, icmpBody).Build(), HostPassed);
        yield return ("ping from a nat backend", FrameBuilder.Ipv4(Backend, Client).Icmp(8, 0).Build(), Passed);
        yield return ("ARP", FrameBuilder.Ipv4(Client, Vip).WithEtherType(0x0806).Udp(1, 2).Build(), Passed);
        yield return ("truncated IPv4 header", FrameBuilder.Ipv4(Client, Vip).Tcp(40000, 80).Build()[..20], Malformed);
        yield return ("truncated ports", FrameBuilder.Ipv4(Client, Vip).Tcp(40000, 80).Build()[..36], Malformed);
        yield return ("IHL below 5", FrameBuilder.Ipv4(Client, Vip).Ihl(4).Tcp(40000, 80).Build(), Malformed);
        yield return ("version 6 under the IPv4 ethertype", FrameBuilder.Ipv4(Client, Vip).VersionNibble(6).Tcp(40000, 80).Build(), Malformed);
        yield return ("tcp with IPv4 options to a VIP", FrameBuilder.Ipv4(Client, Vip).Ipv4Options(2).Tcp(40000, 80).Build(), Steered);
        yield return ("tcp with IPv4 options to another port", FrameBuilder.Ipv4(Client, Vip).Ipv4Options(2).Tcp(40000, 81).Build(), Passed);
    }

    [RootFact]
    public void Every_frame_lands_in_the_counter_of_its_class()
    {
        RootGuard.Require();
        using RedirectProgram program = LoadSteering();
        var failures = new List<string>();
        foreach ((string name, byte[] frame, string counter) in Fixtures())
        {
            RedirectCounters before = program.ReadCounters();
            ProgramTestRun.Run(program.ProgramFd, frame);
            string[] moved = Moved(before, program.ReadCounters());
            if (moved.Length != 1 || moved[0] != counter)
                failures.Add($"{name}: counters moved [{string.Join(", ", moved)}], expected [{counter}]");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [RootFact]
    public void A_host_address_added_or_removed_changes_what_a_nat_backend_reaches()
    {
        RootGuard.Require();
        using RedirectProgram program = LoadSteering();
        byte[] toNewAddress = FrameBuilder.Ipv4(Backend, "10.0.0.253").Tcp(8080, 40000).Build();
        byte[] toKeptAddress = FrameBuilder.Ipv4(Backend, HostAddress).Tcp(8080, 40000).Build();

        Assert.Equal(Steered, Counted(program, toNewAddress)); // a client's address: a nat reply
        program.AddHostAddress(IPAddress.Parse("10.0.0.253"));
        Assert.Equal(HostPassed, Counted(program, toNewAddress));
        program.RemoveHostAddress(IPAddress.Parse("10.0.0.253"));
        Assert.Equal(Steered, Counted(program, toNewAddress));
        Assert.Equal(HostPassed, Counted(program, toKeptAddress));
    }

    private static string Counted(RedirectProgram program, byte[] frame)
    {
        RedirectCounters before = program.ReadCounters();
        ProgramTestRun.Run(program.ProgramFd, frame);
        return string.Join(", ", Moved(before, program.ReadCounters()));
    }

    /// <summary>The counters a frame moved, besides seen (which every frame moves).</summary>
    private static string[] Moved(RedirectCounters before, RedirectCounters after) =>
        new (string Name, ulong Before, ulong After)[]
        {
            ("redirected", before.Redirected, after.Redirected), (Passed, before.Passed, after.Passed),
            (Malformed, before.Malformed, after.Malformed), (Steered, before.NoSocket, after.NoSocket),
            (HostPassed, before.HostPassed, after.HostPassed),
        }.Where(c => c.After != c.Before).Select(c => c.After - c.Before == 1 ? c.Name : $"{c.Name} +{c.After - c.Before}").ToArray();
}
