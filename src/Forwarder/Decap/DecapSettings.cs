using System.Runtime.InteropServices;

namespace Forwarder.Decap;

/// <summary>The value of decap.c's <c>config</c> map (<c>struct decap_config</c>, 4 bytes).</summary>
[StructLayout(LayoutKind.Sequential, Size = 4)]
internal struct DecapSettings
{
    public const ushort AnyDestinationFlag = 1;

    /// <summary>The GUE UDP destination port in network order; 0 turns GUE off.</summary>
    public ushort GuePortNetworkOrder;
    public ushort Flags;

    public static DecapSettings Create(int guePort, bool anyDestination) => new()
    {
        GuePortNetworkOrder = (ushort)System.Net.IPAddress.HostToNetworkOrder((short)guePort),
        Flags = anyDestination ? AnyDestinationFlag : (ushort)0,
    };

    public readonly int GuePort => (ushort)System.Net.IPAddress.NetworkToHostOrder((short)GuePortNetworkOrder);

    public readonly bool AnyDestination => (Flags & AnyDestinationFlag) != 0;
}
