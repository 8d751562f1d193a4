namespace AfXdp;

/// <summary>A BPF map's type (<c>BPF_MAP_TYPE_*</c>), key and value sizes in bytes, and most entries, as the kernel reports them.</summary>
public sealed record BpfMapShape(uint Type, uint KeySize, uint ValueSize, uint MaxEntries)
{
    public const uint Hash = 1, Array = 2, PerCpuArray = 6, XskMap = 17;

    public override string ToString() => $"type {Type}, key {KeySize} B, value {ValueSize} B, {MaxEntries} entries";
}
