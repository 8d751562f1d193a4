using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Forwarder.FlowTable;
using Forwarder.Packets;

namespace Forwarder.Tests.FlowTable;

/// <summary>Distinct connection keys and backends by number, and keys that share a table's bucket.</summary>
[SupportedOSPlatform("linux")]
public static class TestFlows
{
    public static readonly WireAddress Vip4 = WireAddress.FromBytes([10, 0, 0, 100]);
    public static readonly WireAddress Vip6 = WireAddress.FromBytes([0xfc, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x64]);

    /// <summary>[client port, VIP port] in wire order, loaded as the parser loads it.</summary>
    public static uint PortsWord(ushort clientPort, ushort vipPort)
    {
        Span<byte> wire = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(wire, clientPort);
        BinaryPrimitives.WriteUInt16BigEndian(wire[2..], vipPort);
        return MemoryMarshal.Read<uint>(wire);
    }

    /// <summary>Connection number <paramref name="n"/>: client 192.168.x.y (or fc01::x:y) port 1024 + n % 60000 to the VIP's port 80.</summary>
    public static FlowKey Key(int n, byte protocol = IpProtocol.Tcp, IpVersion version = IpVersion.V4)
    {
        WireAddress client = version == IpVersion.V4
            ? WireAddress.FromBytes([192, 168, (byte)(n >> 8), (byte)n])
            : WireAddress.FromBytes([0xfc, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)(n >> 24), (byte)(n >> 16), (byte)(n >> 8), (byte)n, 1]);
        WireAddress vip = version == IpVersion.V4 ? Vip4 : Vip6;
        return new FlowKey(client, vip, PortsWord((ushort)(1024 + n % 60000), 80), protocol, version);
    }

    /// <summary>Backend number <paramref name="n"/>: 10.1.x.y.</summary>
    public static WireAddress Backend(int n) => WireAddress.FromBytes([10, 1, (byte)(n >> 8), (byte)n]);

    /// <summary>The first <paramref name="count"/> keys made by <paramref name="make"/> (from 0 up) that land in <paramref name="bucket"/>.</summary>
    public static FlowKey[] InBucket(ConnectionTable table, int bucket, int count, Func<int, FlowKey> make)
    {
        var keys = new List<FlowKey>();
        for (int n = 0; keys.Count < count; n++)
        {
            FlowKey key = make(n);
            if (table.BucketOf(key) == bucket)
                keys.Add(key);
        }
        return [.. keys];
    }

    /// <summary>The first <paramref name="count"/> TCP keys that share key 0's bucket.</summary>
    public static FlowKey[] SameBucket(ConnectionTable table, int count) =>
        InBucket(table, table.BucketOf(Key(0)), count, n => Key(n));

    public static ConnectionTable SmallTable(int capacity = 64, int ways = 4) =>
        new(new ConnectionTableOptions { Capacity = capacity, Ways = ways });
}
