using System.Runtime.Versioning;
using AfXdp.Rings;

namespace AfXdp.Tests.Rings;

/// <summary>
/// Plays the kernel's end of a <see cref="NativeRing{T}"/>: it consumes what user space produced
/// (FILL, TX) and produces what user space consumes (RX, COMPLETION), touching only the shared
/// producer and consumer words, never user space's cached indices.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed unsafe class KernelEnd<T>(NativeRing<T> ring) where T : unmanaged
{
    /// <summary>Entries published by the producer and not yet consumed.</summary>
    public uint Pending => Volatile.Read(ref *ring.Producer) - Volatile.Read(ref *ring.Consumer);

    /// <summary>Consumes the oldest published entry (of a ring user space produces into).</summary>
    public T Consume()
    {
        if (Pending == 0)
            throw new InvalidOperationException("the ring is empty");
        uint index = *ring.Consumer;
        T value = ring.EntryAt(index);
        Volatile.Write(ref *ring.Consumer, index + 1);
        return value;
    }

    /// <summary>Consumes <paramref name="count"/> entries without looking at them.</summary>
    public void Skip(uint count)
    {
        for (uint i = 0; i < count; i++)
            Consume();
    }

    /// <summary>Publishes one entry (into a ring user space consumes from).</summary>
    public void Produce(T value)
    {
        if (Pending == ring.Size)
            throw new InvalidOperationException("the ring is full");
        uint index = *ring.Producer;
        ring.EntryAt(index) = value;
        Volatile.Write(ref *ring.Producer, index + 1);
    }

    public void SetFlags(uint flags) => Volatile.Write(ref *ring.Flags, flags);
}
