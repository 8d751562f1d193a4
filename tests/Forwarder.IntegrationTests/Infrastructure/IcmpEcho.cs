using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>ICMP echo ("ping") from inside a namespace over a raw socket; Debian's ping is not required.</summary>
public static class IcmpEcho
{
    private const int EchoReply = 0;
    private const int EchoRequest = 8;

    /// <summary>True when <paramref name="target"/> answers one of <paramref name="attempts"/> echoes.</summary>
    public static bool Ping(NetworkNamespace from, IPAddress target, int attempts = 3, int timeoutMs = 1000)
    {
        using Socket socket = from.RunInside(() => new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp));
        ushort id = (ushort)Random.Shared.Next(1, ushort.MaxValue);
        for (ushort sequence = 1; sequence <= attempts; sequence++)
        {
            socket.SendTo(Request(id, sequence), new IPEndPoint(target, 0));
            if (AwaitReply(socket, target, id, sequence, timeoutMs))
                return true;
        }
        return false;
    }

    private static bool AwaitReply(Socket socket, IPAddress target, ushort id, ushort sequence, int timeoutMs)
    {
        var buffer = new byte[1500];
        var clock = Stopwatch.StartNew();
        // A raw ICMP socket sees every ICMP packet of the namespace: skip the ones that are not our reply.
        for (int packets = 0; packets < 1000 && clock.ElapsedMilliseconds < timeoutMs; packets++)
        {
            int remaining = (int)Math.Max(1, timeoutMs - clock.ElapsedMilliseconds);
            if (!socket.Poll(remaining * 1000, SelectMode.SelectRead))
                return false;
            EndPoint sender = new IPEndPoint(IPAddress.Any, 0);
            int length = socket.ReceiveFrom(buffer, ref sender);
            if (IsReply(buffer.AsSpan(0, length), id, sequence) && ((IPEndPoint)sender).Address.Equals(target))
                return true;
        }
        return false;
    }

    private static bool IsReply(ReadOnlySpan<byte> ipPacket, ushort id, ushort sequence)
    {
        int headerLength = (ipPacket[0] & 0x0F) * 4; // raw IPv4 sockets deliver the IP header too
        if (ipPacket.Length < headerLength + 8)
            return false;
        ReadOnlySpan<byte> icmp = ipPacket[headerLength..];
        return icmp[0] == EchoReply
            && BinaryPrimitives.ReadUInt16BigEndian(icmp[4..]) == id
            && BinaryPrimitives.ReadUInt16BigEndian(icmp[6..]) == sequence;
    }

    private static byte[] Request(ushort id, ushort sequence)
    {
        var packet = new byte[16];
        packet[0] = EchoRequest;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), id);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), sequence);
        "fwtest"u8.CopyTo(packet.AsSpan(8));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), ReferenceChecksum.Compute(packet));
        return packet;
    }
}
