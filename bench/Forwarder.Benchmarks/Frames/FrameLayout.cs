namespace Forwarder.Benchmarks.Frames;

/// <summary>
/// Where the frames of a batch start in their 4 KiB chunks. With every frame at the same offset of
/// its chunk, the first bytes of all 64 frames map to the same set of an L1 data cache (32 KiB, 8 ways:
/// addresses 4 KiB apart share a set), so only 8 frames' headers stay in L1 at a time, and a stage that
/// goes over the batch twice (parse all, then rewrite all) finds each header evicted again.
/// </summary>
public enum FrameLayout
{
    /// <summary>Frame i at chunk i + 256, as AF_XDP hands received frames over (aligned chunks, fixed headroom).</summary>
    UmemChunk,

    /// <summary>Frame i at chunk i + 256 + (i mod 32) × 64: frame starts spread over 32 cache sets, for comparison.</summary>
    Staggered,
}
