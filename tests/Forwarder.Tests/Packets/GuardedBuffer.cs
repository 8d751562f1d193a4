using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using static Forwarder.Tests.Packets.GuardPageInterop;

namespace Forwarder.Tests.Packets;

/// <summary>
/// Readable pages between two inaccessible guard pages. A frame copied with <see cref="PlaceAtEnd"/>
/// ends on the last readable byte, so reading one byte past it kills the process with SIGSEGV; one
/// copied with <see cref="PlaceAtStart"/> starts on the first, so reading before it does.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed unsafe class GuardedBuffer : IDisposable
{
    private readonly nint _mapping;
    private readonly nuint _mappingLength;

    public GuardedBuffer(int capacity)
    {
        int page = Environment.SystemPageSize;
        int readablePages = (capacity + page - 1) / page;
        _mappingLength = (nuint)((readablePages + 2) * page);
        _mapping = Mmap(0, _mappingLength, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (_mapping == MapFailed)
            throw new InvalidOperationException($"mmap failed: errno {Marshal.GetLastPInvokeError()}");
        Start = (byte*)_mapping + page;
        Capacity = readablePages * page;
        if (Mprotect(_mapping, (nuint)page, ProtNone) != 0 || Mprotect((nint)(Start + Capacity), (nuint)page, ProtNone) != 0)
            throw new InvalidOperationException($"mprotect failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>The first readable byte.</summary>
    public byte* Start { get; }

    /// <summary>Readable bytes between the guards.</summary>
    public int Capacity { get; }

    /// <summary>Copies <paramref name="frame"/> so that its last byte is the last readable one; returns its first byte.</summary>
    public byte* PlaceAtEnd(ReadOnlySpan<byte> frame)
    {
        byte* destination = Start + Capacity - frame.Length;
        frame.CopyTo(new Span<byte>(destination, frame.Length));
        return destination;
    }

    /// <summary>Copies <paramref name="frame"/> to the first readable byte; returns it.</summary>
    public byte* PlaceAtStart(ReadOnlySpan<byte> frame)
    {
        frame.CopyTo(new Span<byte>(Start, frame.Length));
        return Start;
    }

    public void Dispose() => Munmap(_mapping, _mappingLength);
}
