namespace Forwarder.Replay;

/// <summary>A capture file that cannot be read or written as asked; the message names the file and, for a bad record, its number and offset.</summary>
public sealed class PcapException(string message) : Exception(message);
