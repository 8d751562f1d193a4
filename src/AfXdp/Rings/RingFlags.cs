namespace AfXdp.Rings;

/// <summary>Bits of a ring's flags word (linux/if_xdp.h).</summary>
public static class RingFlags
{
    /// <summary>XDP_RING_NEED_WAKEUP: the kernel will not look at the ring again until woken by a syscall.</summary>
    public const uint NeedWakeup = 1;
}
