using System.Runtime.InteropServices;

namespace Forwarder.Steering;

/// <summary>An entry of redirect.c's <c>vip_table</c> and <c>nat_table</c> (<c>struct slot_key</c>): a key, or empty (family 0).</summary>
[StructLayout(LayoutKind.Sequential, Size = 32)]
public struct SteeringSlot : IEquatable<SteeringSlot>
{
    public VipMapKey Key;

    public SteeringSlot(VipMapKey key) => Key = key;

    public readonly bool IsEmpty => Key.Family == 0;

    public readonly bool Equals(SteeringSlot other) => Key.Equals(other.Key);

    public override readonly bool Equals(object? obj) => obj is SteeringSlot other && Equals(other);

    public override readonly int GetHashCode() => Key.GetHashCode();
}

/// <summary>Where one table's live buffer is hashed into (<c>struct table_shape</c>).</summary>
[StructLayout(LayoutKind.Sequential, Size = 16)]
public struct TableShape
{
    public ulong Seed;
    /// <summary>Slots − 1 (slots a power of two).</summary>
    public uint Mask;
    private readonly uint _unused;
}

/// <summary>
/// redirect.c's <c>steer_ctl</c> (<c>struct steer_ctl</c>): which buffer of both tables frames use, and each buffer's shape.
/// <see cref="Generation"/> is user space's own: counted up by every writer, so a writer sees that another one (an
/// upgrade's successor sharing the maps) changed the tables since it last wrote.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 72)]
public struct SteeringControl
{
    public uint Active;
    public uint Generation;
    public TableShape Vips0, Vips1, Nat0, Nat1;
}
