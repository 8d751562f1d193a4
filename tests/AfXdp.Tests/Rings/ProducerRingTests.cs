using System.Runtime.Versioning;
using AfXdp.Rings;

namespace AfXdp.Tests.Rings;

/// <summary>The user-space producer side (FILL, TX) against a simulated kernel consumer.</summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class ProducerRingTests
{
    private const uint Size = 8;

    // Each test runs once from index 0 and once a few entries short of 2^32, so it crosses the wrap.
    public static TheoryData<uint> StartIndices => new() { 0u, uint.MaxValue - 5 };

    [Theory]
    [MemberData(nameof(StartIndices))]
    public void Reserve_takes_the_whole_ring_and_then_nothing_more(uint start)
    {
        using var native = new NativeRing<ulong>(Size, producerSide: true, start);
        var ring = new ProducerRing<ulong>(native.Ring);

        Assert.Equal(Size, ring.Reserve(Size, out uint index));
        Assert.Equal(start, index);
        Assert.Equal(0u, ring.Reserve(1, out _));

        ring.Submit(Size);
        Assert.Equal(0u, ring.Reserve(1, out _));
        Assert.Equal(Size, ring.Outstanding);
    }

    [Theory]
    [MemberData(nameof(StartIndices))]
    public void Entries_consumed_by_the_kernel_become_free_again(uint start)
    {
        using var native = new NativeRing<ulong>(Size, producerSide: true, start);
        var ring = new ProducerRing<ulong>(native.Ring);
        var kernel = new KernelEnd<ulong>(native);
        ring.Reserve(Size, out _);
        ring.Submit(Size);

        kernel.Skip(3);

        Assert.Equal(0u, ring.Reserve(4, out _));
        Assert.Equal(3u, ring.Reserve(3, out uint index));
        Assert.Equal(start + Size, index);
        Assert.Equal(0u, ring.Reserve(1, out _));
    }

    [Theory]
    [MemberData(nameof(StartIndices))]
    public void Reserve_is_all_or_nothing(uint start)
    {
        using var native = new NativeRing<ulong>(Size, producerSide: true, start);
        var ring = new ProducerRing<ulong>(native.Ring);
        ring.Reserve(3, out _);

        Assert.Equal(0u, ring.Reserve(6, out _));
        Assert.Equal(5u, ring.Reserve(5, out uint index));
        Assert.Equal(start + 3, index);
    }

    [Theory]
    [MemberData(nameof(StartIndices))]
    public void Submit_publishes_exactly_the_count_given_in_order(uint start)
    {
        using var native = new NativeRing<ulong>(Size, producerSide: true, start);
        var ring = new ProducerRing<ulong>(native.Ring);
        var kernel = new KernelEnd<ulong>(native);
        ring.Reserve(5, out uint index);
        for (uint i = 0; i < 5; i++)
            ring[index + i] = 100 + i;

        Assert.Equal(start, *native.Producer);
        ring.Submit(3);
        Assert.Equal(start + 3, *native.Producer);
        Assert.Equal(3u, kernel.Pending);
        Assert.Equal(new ulong[] { 100, 101, 102 }, new[] { kernel.Consume(), kernel.Consume(), kernel.Consume() });

        ring.Submit(2);
        Assert.Equal(start + 5, *native.Producer);
        Assert.Equal(new ulong[] { 103, 104 }, new[] { kernel.Consume(), kernel.Consume() });
    }

    [Theory]
    [MemberData(nameof(StartIndices))]
    public void Cancel_gives_back_reserved_entries_that_were_never_submitted(uint start)
    {
        using var native = new NativeRing<ulong>(Size, producerSide: true, start);
        var ring = new ProducerRing<ulong>(native.Ring);
        var kernel = new KernelEnd<ulong>(native);
        ring.Reserve(4, out uint index);
        ring[index] = 7;
        ring[index + 1] = 8;

        ring.Cancel(2);
        ring.Submit(2);

        Assert.Equal(Size - 2, ring.FreeEntries(Size));
        Assert.Equal(Size - 2, ring.Reserve(Size - 2, out uint next));
        Assert.Equal(start + 2, next);
        Assert.Equal(start + 2, *native.Producer);
        Assert.Equal(new ulong[] { 7, 8 }, new[] { kernel.Consume(), kernel.Consume() });
    }

    [Fact]
    public void FreeEntries_reads_the_kernel_index_only_when_the_cache_runs_short()
    {
        using var native = new NativeRing<ulong>(Size, producerSide: true);
        var ring = new ProducerRing<ulong>(native.Ring);
        var kernel = new KernelEnd<ulong>(native);
        ring.Reserve(6, out _);
        ring.Submit(6);

        kernel.Skip(4);
        Assert.Equal(2u, ring.FreeEntries(2)); // two were cached: the kernel's progress is not looked at
        Assert.Equal(6u, ring.FreeEntries(3)); // not enough cached: the kernel's index is read

        kernel.Skip(2);
        Assert.Equal(6u, ring.FreeEntries(6));
        Assert.Equal(8u, ring.FreeEntries(7));
    }

    [Theory]
    [InlineData(0u, false)]
    [InlineData(RingFlags.NeedWakeup, true)]
    [InlineData(2u, false)]
    [InlineData(3u, true)]
    public void NeedsWakeup_reflects_the_flags_word(uint flags, bool expected)
    {
        using var native = new NativeRing<ulong>(Size, producerSide: true);
        var ring = new ProducerRing<ulong>(native.Ring);

        new KernelEnd<ulong>(native).SetFlags(flags);

        Assert.Equal(expected, ring.NeedsWakeup);
    }

    [Fact]
    public void NeedsWakeup_follows_the_flags_word_as_it_changes()
    {
        using var native = new NativeRing<ulong>(Size, producerSide: true);
        var ring = new ProducerRing<ulong>(native.Ring);
        var kernel = new KernelEnd<ulong>(native);

        Assert.False(ring.NeedsWakeup);
        kernel.SetFlags(RingFlags.NeedWakeup);
        Assert.True(ring.NeedsWakeup);
        kernel.SetFlags(0);
        Assert.False(ring.NeedsWakeup);
    }
}
