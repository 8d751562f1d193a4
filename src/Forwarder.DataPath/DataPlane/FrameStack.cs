using System.Runtime.CompilerServices;

namespace Forwarder.DataPlane;

/// <summary>
/// The frames a worker holds that are on no ring: a fixed-capacity stack of UMEM chunk addresses.
/// Sized for every frame of the UMEM, so a push never overflows.
/// </summary>
public sealed class FrameStack
{
    private readonly ulong[] _frames;
    private int _count;

    public FrameStack(int capacity) => _frames = new ulong[capacity];

    public int Count => _count;

    public int Capacity => _frames.Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(ulong address) => _frames[_count++] = address;

    /// <summary>The frames held, bottom first (for a hand-over; not for the loop).</summary>
    public ReadOnlySpan<ulong> Held => _frames.AsSpan(0, _count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Pop() => _frames[--_count];
}
