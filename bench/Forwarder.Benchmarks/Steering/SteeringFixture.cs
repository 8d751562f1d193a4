using System.Net;
using System.Net.Sockets;
using Forwarder.Benchmarks.Frames;
using Forwarder.Steering;
using Forwarder.Testing;

namespace Forwarder.Benchmarks.Steering;

/// <summary>The steering program's benchmark set-up: 32 IPv4 and 32 IPv6 VIPs, a nat backend, two host addresses, and one frame per kind.</summary>
internal static class SteeringFixture
{
    public static readonly string[] PacketKinds = ["vip-v4", "vip-v6", "vlan-vip", "other", "other-v6", "nat-reply"];

    /// <summary>redirect.c from <paramref name="objectPath"/> with the benchmark's tables written.</summary>
    public static RedirectProgram Load(string objectPath)
    {
        RedirectProgram redirect = RedirectProgram.Load(objectPath);
        for (int i = 0; i < 32; i++)
        {
            AddVip(redirect, IPAddress.Parse($"10.100.0.{i + 1}"), 80, ProtocolType.Tcp);
            AddVip(redirect, IPAddress.Parse($"fc00::{i + 0x100:x}"), 443, ProtocolType.Tcp);
        }
        redirect.AddNatSource(VipMapKey.Create(IPAddress.Parse("10.0.1.1"), 8080, ProtocolType.Tcp));
        redirect.AddHostAddress(IPAddress.Parse("10.0.0.254"));
        redirect.AddHostAddress(IPAddress.Parse("fc00::fe"));
        redirect.Flush();
        return redirect;
    }

    /// <summary>The floor program (bpf/redirect_floor.o beside the benchmarks).</summary>
    public static AfXdp.XdpProgram LoadFloor() =>
        AfXdp.XdpProgram.Load(Path.Combine(AppContext.BaseDirectory, "bpf", "redirect_floor.o"), "xdp_redirect_floor");

    public static byte[] Frame(string kind) => kind switch
    {
        "vip-v4" => FrameFactory.Build("192.0.2.7", "10.100.0.1", 40000, 80, tcp: true, payload: 0),
        "vip-v6" => FrameFactory.Build("2001:db8::7", "fc00::100", 40000, 443, tcp: true, payload: 0),
        "vlan-vip" => FrameBuilder.Ipv4("192.0.2.7", "10.100.0.1").Vlan(100).Tcp(40000, 80).MinimumLength(FrameFactory.MinimumFrame).Build(),
        "other" => FrameFactory.Build("192.0.2.7", "10.0.0.99", 40000, 53, tcp: false, payload: 0),
        "other-v6" => FrameFactory.Build("2001:db8::7", "fc00::99", 40000, 53, tcp: false, payload: 0),
        "nat-reply" => FrameFactory.Build("10.0.1.1", "192.0.2.7", 8080, 40000, tcp: true, payload: 0),
        _ => throw new ArgumentException($"unknown packet {kind}"),
    };

    private static void AddVip(RedirectProgram redirect, IPAddress address, ushort port, ProtocolType protocol)
    {
        redirect.AddVip(VipMapKey.Create(address, port, protocol));
        redirect.AddVip(VipMapKey.ForAddress(address));
    }
}
