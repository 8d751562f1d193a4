using System.Net;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.Packets;
using Forwarder.Tests.Configuration;
using Forwarder.Tests.ControlPlane;
using Forwarder.Tests.LoadBalancing;
using Forwarder.Tests.Packets;
using static Forwarder.Tests.LoadBalancing.LoadBalancerConfigs;

namespace Forwarder.Tests.FlowQueries;

/// <summary>
/// <see cref="FlowLookup"/> names the backend the real <see cref="LoadBalancer"/> sends each flow to, for random
/// flows to VIPs of every mode (ipip, gue, dsr-l2, nat), both families, rings of other sizes, Maglev v1, weights
/// and backends marked down. The stage's choice is read from the backend counter each frame raised.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class FlowLookupAgreementTests : IDisposable
{
    private static readonly (string Vip, bool Tcp, ushort Port, bool V6)[] Targets =
    [
        (IpipV4, true, 80, false), (GueAnyPort, false, 0, false), (GueAnyPort, true, 0, false), (DsrL2, false, 53, false),
        (Nat, true, 80, false), (IpipV6, true, 443, true), (IpipV4InV6, false, 80, false), (SmallRing, false, 80, false),
        (Mixed, false, 0, false), (NoBackends, true, 80, false),
    ];

    private readonly byte* _chunk = (byte*)NativeMemory.AlignedAlloc(4096, 4096);
    private readonly ForwarderRuntime _runtime = new(TestConfigs.LoadValid(All), OwnMac, 1, new FakeSteeringMaps());

    [Fact]
    public void The_answer_is_the_stage_s_choice_for_random_flows_in_every_mode()
    {
        int forwarded = AssertAgreement(seed: 1, count: 4000);
        Assert.True(forwarded > 3000, $"only {forwarded} flows forwarded");
    }

    [Fact]
    public void The_answer_follows_weights_and_backends_marked_down()
    {
        Assert.True(_runtime.Edit(c => c with
        {
            Vips = c.Vips.Select(v => v with
            {
                Backends = v.Backends.Select((b, i) => b with { Weight = (uint)(1 + 3 * i) }).ToEquatableArray(),
                Flags = v.Address.ToString() == IpipV4 ? VipFlags.NoSourcePort : v.Flags,
            }).ToEquatableArray(),
        }).Applied);
        _runtime.SetHealth(new VipIdentity(IPAddress.Parse(IpipV4), 80, VipProtocol.Tcp), new BackendId(IPAddress.Parse("10.0.0.3"), null), healthy: false);
        _runtime.SetHealth(new VipIdentity(IPAddress.Parse(Nat), 80, VipProtocol.Tcp), new BackendId(IPAddress.Parse("10.0.1.1"), 8080), healthy: false);
        _runtime.SetHealth(new VipIdentity(IPAddress.Parse(DsrL2), 53, VipProtocol.Udp), new BackendId(IPAddress.Parse("10.0.2.1"), null), healthy: false);

        AssertAgreement(seed: 2, count: 4000);

        var answers = Enumerable.Range(0, 200).Select(i => Ask(IPAddress.Parse($"192.0.2.{i}"), 1000, IpipV4, 80, tcp: true)).ToArray();
        Assert.All(answers, a => Assert.NotEqual("10.0.0.3", a.Backend!.Address)); // down: in no slot
        Assert.Contains(answers, a => a.Backend!.Address == "10.0.0.2");
        Assert.All(answers, a => Assert.Equal(["no_source_port"], a.HashOptions));
        Assert.Null(Ask(IPAddress.Parse("192.0.2.1"), 1000, DsrL2, 53, tcp: false).Backend); // its only backend is down
    }

    /// <summary>Sends <paramref name="count"/> random flows one at a time and checks each answer; returns how many were forwarded.</summary>
    private int AssertAgreement(int seed, int count)
    {
        var stage = new LoadBalancer(_runtime.Snapshots, 0);
        var random = new Random(seed);
        int forwarded = 0;
        for (int i = 0; i < count; i++)
        {
            var (vip, tcp, port, v6) = Targets[random.Next(Targets.Length)];
            ushort vipPort = port == 0 ? (ushort)random.Next(1, 65536) : port;
            ushort clientPort = (ushort)random.Next(1024, 65536);
            IPAddress client = v6 ? RandomV6(random) : new IPAddress((uint)random.NextInt64(0x01000000, 0xDFFFFFFF));
            FlowAnswer answer = Ask(client, clientPort, vip, vipPort, tcp);

            int? backendId = Send(ref stage, client, clientPort, vip, vipPort, tcp, v6, out DropReason verdict);
            string flow = $"{client}:{clientPort} -> {vip}:{vipPort} {(tcp ? "tcp" : "udp")}";
            if (backendId is null)
            {
                Assert.True(verdict == DropReason.NoBackend, $"{flow}: {verdict}");
                Assert.Null(answer.Backend);
                continue;
            }
            forwarded++;
            Assert.True(answer.Backend?.Id == backendId, $"{flow}: the stage chose backend {backendId}, the answer {answer.Backend?.Id}");
        }
        return forwarded;
    }

    private FlowAnswer Ask(IPAddress client, ushort clientPort, string vip, ushort vipPort, bool tcp) =>
        FlowLookup.Answer(_runtime.Published, new Forwarder.ControlPlane.FlowQuery(client, clientPort, IPAddress.Parse(vip), vipPort, tcp ? VipProtocol.Tcp : VipProtocol.Udp), []);

    /// <summary>Runs the flow's frame through the stage alone; the id of the backend whose counter rose, or null when it was dropped.</summary>
    private int? Send(ref LoadBalancer stage, IPAddress client, ushort clientPort, string vip, ushort vipPort, bool tcp, bool v6, out DropReason verdict)
    {
        FrameBuilder builder = v6 ? FrameBuilder.Ipv6(client.ToString(), vip) : FrameBuilder.Ipv4(client.ToString(), vip);
        byte[] frame = (tcp ? builder.Tcp(clientPort, vipPort, TcpFlags.Syn) : builder.Udp(clientPort, vipPort)).Build();
        ForwardingSnapshot snapshot = _runtime.Snapshots.Current;
        long[] before = snapshot.Counters[0].BackendPackets.ToArray();

        frame.CopyTo(new Span<byte>(_chunk + 256, frame.Length));
        var batch = new PacketBatch(_chunk, 4096) { Count = 1 };
        batch.Address[0] = 256;
        batch.Length[0] = (uint)frame.Length;
        stage.Process(batch);
        verdict = batch.Verdict[0];
        if (verdict != DropReason.None)
            return null;

        int counter = Enumerable.Range(0, before.Length).Single(c => snapshot.Counters[0].BackendPackets[c] != before[c]);
        VipEntry entry = snapshot.Vips[snapshot.FindVip(WireAddress.FromIPAddress(IPAddress.Parse(vip)), v6 ? IpVersion.V6 : IpVersion.V4,
            tcp ? IpProtocol.Tcp : IpProtocol.Udp, System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(vipPort))];
        return Array.FindIndex(entry.Backends, b => b.CounterIndex == counter);
    }

    private static IPAddress RandomV6(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        bytes[0] = 0x20;
        bytes[1] = 0x01;
        return new IPAddress(bytes);
    }

    public void Dispose() => NativeMemory.AlignedFree(_chunk);
}
