namespace Forwarder.Replay;

/// <summary>Frames of a capture file, in file order.</summary>
public interface ICaptureReader : IDisposable
{
    /// <summary>The file's name as given, used in messages.</summary>
    string Name { get; }

    /// <summary>The next frame, or false at the end of the file. Throws <see cref="PcapException"/> on a corrupt or short file.</summary>
    bool TryRead(out CapturedFrame frame);
}
