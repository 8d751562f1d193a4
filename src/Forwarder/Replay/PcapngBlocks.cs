namespace Forwarder.Replay;

/// <summary>The pcapng block types and markers both the reader and the capture writer use (IETF draft-ietf-opsawg-pcapng).</summary>
public static class PcapngBlocks
{
    public const uint SectionHeader = 0x0A0D0D0A;

    /// <summary>The section header's byte-order magic, as written in the writer's own byte order.</summary>
    public const uint ByteOrderMagic = 0x1A2B3C4D;

    public const uint InterfaceDescription = 1, ObsoletePacket = 2, SimplePacket = 3, InterfaceStatistics = 5, EnhancedPacket = 6;

    /// <summary>The option code that ends every block's options.</summary>
    public const ushort EndOfOptions = 0;
}
