using System.Runtime.Versioning;
using AfXdp.Rings;

namespace AfXdp.Tests.Rings;

/// <summary>
/// Ring indices are free-running 32-bit counters: they must wrap past 2^32 without losing, repeating
/// or reordering an entry, and without miscounting free or available entries at the wrap.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class RingWrapAroundTests
{
    private const uint Size = 16;
    private const uint NearWrap = uint.MaxValue - 5;
    private const int Entries = 20_000;

    [Fact]
    public void A_full_producer_ring_straddling_the_wrap_is_counted_as_full()
    {
        using var native = new NativeRing<ulong>(Size, producerSide: true, uint.MaxValue - 3);
        var ring = new ProducerRing<ulong>(native.Ring);

        Assert.Equal(Size, ring.Reserve(Size, out _));
        ring.Submit(Size);

        Assert.Equal(Size - 4, *native.Producer); // wrapped
        Assert.Equal(Size, ring.Outstanding);
        Assert.Equal(0u, ring.FreeEntries(1));
        new KernelEnd<ulong>(native).Skip(5);
        Assert.Equal(5u, ring.FreeEntries(1));
    }

    [Fact]
    public void A_full_consumer_ring_straddling_the_wrap_is_counted_as_full()
    {
        using var native = new NativeRing<ulong>(Size, producerSide: false, uint.MaxValue - 3);
        var ring = new ConsumerRing<ulong>(native.Ring);
        var kernel = new KernelEnd<ulong>(native);
        for (ulong i = 0; i < Size; i++)
            kernel.Produce(i);

        Assert.Equal(Size, ring.Available(uint.MaxValue));
        Assert.Equal(Size, ring.Peek(uint.MaxValue, out uint index));
        for (uint i = 0; i < Size; i++)
            Assert.Equal(i, ring[index + i]);
    }

    [Fact]
    public void Thousands_of_entries_pass_through_a_producer_ring_across_the_wrap_in_order()
    {
        using var native = new NativeRing<ulong>(Size, producerSide: true, NearWrap);
        var ring = new ProducerRing<ulong>(native.Ring);
        var kernel = new KernelEnd<ulong>(native);
        var sizes = new StepSizes(seed: 1);
        ulong written = 0, read = 0;

        for (int round = 0; read < Entries; round++)
        {
            Assert.True(round < 10 * Entries, "no progress");
            uint want = sizes.Next(Size);
            if (ring.Reserve(want, out uint index) == want)
            {
                for (uint i = 0; i < want; i++)
                    ring[index + i] = written++;
                uint cancelled = want > 2 && round % 5 == 0 ? 2u : 0u; // sometimes give the tail back
                ring.Cancel(cancelled);
                written -= cancelled;
                ring.Submit(want - cancelled);
            }
            Assert.True(kernel.Pending <= Size);
            uint take = Math.Min(sizes.Next(Size), kernel.Pending);
            for (uint i = 0; i < take; i++)
                Assert.Equal(read++, kernel.Consume());
        }

        Assert.Equal(unchecked(NearWrap + (uint)written), *native.Producer);
        Assert.True(*native.Producer < NearWrap, "the producer index wrapped");
    }

    [Fact]
    public void Thousands_of_entries_pass_through_a_consumer_ring_across_the_wrap_in_order()
    {
        using var native = new NativeRing<XdpDesc>(Size, producerSide: false, NearWrap);
        var ring = new ConsumerRing<XdpDesc>(native.Ring);
        var kernel = new KernelEnd<XdpDesc>(native);
        var sizes = new StepSizes(seed: 2);
        ulong produced = 0, consumed = 0;

        for (int round = 0; consumed < Entries; round++)
        {
            Assert.True(round < 10 * Entries, "no progress");
            uint give = Math.Min(sizes.Next(Size), Size - kernel.Pending);
            for (uint i = 0; i < give; i++, produced++)
                kernel.Produce(new XdpDesc { Address = produced, Length = (uint)produced ^ 0x5a5a });

            uint got = ring.Peek(sizes.Next(Size), out uint index);
            uint cancelled = got > 1 && round % 3 == 0 ? 1u : 0u; // sometimes leave the last one for the next peek
            ring.Cancel(cancelled);
            for (uint i = 0; i < got - cancelled; i++, consumed++)
            {
                Assert.Equal(consumed, ring[index + i].Address);
                Assert.Equal((uint)consumed ^ 0x5a5a, ring[index + i].Length);
            }
            ring.Release(got - cancelled);
        }

        Assert.Equal(unchecked(NearWrap + (uint)consumed), *native.Consumer);
        Assert.True(*native.Consumer < NearWrap, "the consumer index wrapped");
    }
}
