using System.Runtime.InteropServices;

namespace AfXdp.Rings;

/// <summary>
/// A ring laid out exactly as the kernel maps one (producer, consumer, flags, entries), in native memory
/// of our own. It stands in for the kernel's side in tests and simulations: the same ring code runs
/// against it unchanged.
/// </summary>
public sealed unsafe class NativeRing<T> : IDisposable where T : unmanaged
{
    private readonly byte* _block;

    public NativeRing(uint size, bool producerSide, uint initialIndex = 0)
    {
        if (size == 0 || (size & (size - 1)) != 0)
            throw new ArgumentException($"ring size must be a power of two, got {size}", nameof(size));
        nuint bytes = (nuint)(64 + sizeof(XskRingNative) + size * (uint)sizeof(T));
        _block = (byte*)NativeMemory.AlignedAlloc(bytes, 64);
        NativeMemory.Clear(_block, bytes);
        uint* words = (uint*)_block;
        Producer = &words[0];
        Consumer = &words[4];
        Flags = &words[8];
        *Producer = initialIndex;
        *Consumer = initialIndex;
        Ring = (XskRingNative*)(_block + 64);
        Entries = (T*)(Ring + 1);
        Ring->Mask = size - 1;
        Ring->Size = size;
        Ring->Producer = Producer;
        Ring->Consumer = Consumer;
        Ring->Ring = Entries;
        Ring->Flags = Flags;
        // Producer rings start with every entry free; consumer rings start empty (as XskRingMapping sets up the kernel's).
        Ring->CachedProducer = initialIndex;
        Ring->CachedConsumer = producerSide ? initialIndex + size : initialIndex;
    }

    public XskRingNative* Ring { get; }
    public uint* Producer { get; }
    public uint* Consumer { get; }
    public uint* Flags { get; }
    public T* Entries { get; }
    public uint Size => Ring->Size;

    public ref T EntryAt(uint index) => ref Entries[index & Ring->Mask];

    public void Dispose() => NativeMemory.AlignedFree(_block);
}
