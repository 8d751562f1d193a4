using System.Runtime.Versioning;
using AfXdp.Rings;

namespace AfXdp.Tests.Rings;

/// <summary>The user-space consumer side (RX, COMPLETION) against a simulated kernel producer.</summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class ConsumerRingTests
{
    private const uint Size = 8;

    // Each test runs once from index 0 and once a few entries short of 2^32, so it crosses the wrap.
    public static TheoryData<uint> StartIndices => new() { 0u, uint.MaxValue - 5 };

    private static XdpDesc Desc(ulong address) => new() { Address = address, Length = (uint)address + 1 };

    [Theory]
    [MemberData(nameof(StartIndices))]
    public void Peek_on_an_empty_ring_takes_nothing(uint start)
    {
        using var native = new NativeRing<XdpDesc>(Size, producerSide: false, start);
        var ring = new ConsumerRing<XdpDesc>(native.Ring);

        Assert.Equal(0u, ring.Available(Size));
        Assert.Equal(0u, ring.Peek(Size, out _));
    }

    [Theory]
    [MemberData(nameof(StartIndices))]
    public void Peek_takes_what_the_kernel_produced_in_order_and_at_most_what_is_asked(uint start)
    {
        using var native = new NativeRing<XdpDesc>(Size, producerSide: false, start);
        var ring = new ConsumerRing<XdpDesc>(native.Ring);
        var kernel = new KernelEnd<XdpDesc>(native);
        for (ulong a = 10; a < 15; a++)
            kernel.Produce(Desc(a));

        Assert.Equal(3u, ring.Peek(3, out uint first));
        Assert.Equal(start, first);
        Assert.Equal(2u, ring.Peek(Size, out uint second));
        Assert.Equal(start + 3, second);
        Assert.Equal(0u, ring.Peek(Size, out _));

        for (uint i = 0; i < 5; i++)
        {
            Assert.Equal(10 + i, ring[start + i].Address);
            Assert.Equal(11 + i, ring[start + i].Length);
        }
    }

    [Theory]
    [MemberData(nameof(StartIndices))]
    public void Peek_alone_does_not_free_entries_for_the_kernel_Release_does(uint start)
    {
        using var native = new NativeRing<ulong>(Size, producerSide: false, start);
        var ring = new ConsumerRing<ulong>(native.Ring);
        var kernel = new KernelEnd<ulong>(native);
        for (ulong a = 0; a < Size; a++)
            kernel.Produce(a);

        ring.Peek(Size, out _);
        Assert.Equal(start, *native.Consumer);
        Assert.Throws<InvalidOperationException>(() => kernel.Produce(99));

        ring.Release(3);
        Assert.Equal(start + 3, *native.Consumer);
        Assert.Equal(Size - 3, kernel.Pending);
        kernel.Produce(99);
        ring.Release(Size - 3);
        Assert.Equal(start + Size, *native.Consumer);
        Assert.Equal(1u, ring.Peek(Size, out uint index));
        Assert.Equal(99ul, ring[index]);
    }

    [Theory]
    [MemberData(nameof(StartIndices))]
    public void Cancel_puts_peeked_entries_back_for_the_next_peek(uint start)
    {
        using var native = new NativeRing<ulong>(Size, producerSide: false, start);
        var ring = new ConsumerRing<ulong>(native.Ring);
        var kernel = new KernelEnd<ulong>(native);
        for (ulong a = 0; a < 4; a++)
            kernel.Produce(40 + a);

        ring.Peek(4, out _);
        ring.Cancel(2);

        Assert.Equal(2u, ring.Peek(Size, out uint index));
        Assert.Equal(start + 2, index);
        Assert.Equal(new ulong[] { 42, 43 }, new[] { ring[index], ring[index + 1] });
        Assert.Equal(start, *native.Consumer); // cancel never touches the shared index
        ring.Release(4);
        Assert.Equal(start + 4, *native.Consumer);
    }

    [Fact]
    public void Available_reads_the_kernel_index_only_when_the_cache_is_empty()
    {
        using var native = new NativeRing<ulong>(Size, producerSide: false);
        var ring = new ConsumerRing<ulong>(native.Ring);
        var kernel = new KernelEnd<ulong>(native);
        kernel.Produce(1);
        kernel.Produce(2);

        Assert.Equal(2u, ring.Available(Size)); // cache empty: the kernel's index is read

        kernel.Produce(3);
        kernel.Produce(4);
        kernel.Produce(5);
        Assert.Equal(2u, ring.Available(Size)); // two still cached: the kernel's progress is not looked at
        Assert.Equal(2u, ring.Peek(Size, out _));
        Assert.Equal(3u, ring.Available(Size)); // cache used up: read again
        Assert.Equal(1u, ring.Available(1));
    }

    [Theory]
    [InlineData(0u, false)]
    [InlineData(RingFlags.NeedWakeup, true)]
    [InlineData(2u, false)]
    [InlineData(3u, true)]
    public void NeedsWakeup_reflects_the_flags_word(uint flags, bool expected)
    {
        using var native = new NativeRing<XdpDesc>(Size, producerSide: false);
        var ring = new ConsumerRing<XdpDesc>(native.Ring);

        new KernelEnd<XdpDesc>(native).SetFlags(flags);

        Assert.Equal(expected, ring.NeedsWakeup);
    }

    [Fact]
    public void NeedsWakeup_is_false_for_a_ring_without_a_flags_word()
    {
        using var native = new NativeRing<ulong>(Size, producerSide: false);
        new KernelEnd<ulong>(native).SetFlags(RingFlags.NeedWakeup);
        XskRingNative withoutFlags = *native.Ring;
        withoutFlags.Flags = null;

        Assert.True(new ConsumerRing<ulong>(native.Ring).NeedsWakeup);
        Assert.False(new ConsumerRing<ulong>(&withoutFlags).NeedsWakeup);
    }
}
