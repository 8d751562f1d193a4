namespace Forwarder.Tests.Replay;

/// <summary>One record of a test capture file: timestamp seconds and fraction (µs or ns, as the file says), the captured bytes and the length on the wire.</summary>
internal sealed record PcapRecord(uint Seconds, uint Fraction, byte[] Data, uint? OriginalLength = null)
{
    public uint Original => OriginalLength ?? (uint)Data.Length;
}
