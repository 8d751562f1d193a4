using Forwarder.Packets;

namespace Forwarder.Rewrite;

/// <summary>
/// Layer-2 direct server return: the frame goes to the backend's MAC; nothing else changes — not the
/// VLAN tag, not the IP packet, not the frame's length (the backend, on the same link, receives the
/// frame as the client sent it, padding included).
/// </summary>
public static unsafe class DsrL2Rewrite
{
    public static DropReason Apply(PacketBatch batch, int i, in EthernetAddresses macs)
    {
        macs.Write(batch.Data(i));
        return DropReason.None;
    }
}
