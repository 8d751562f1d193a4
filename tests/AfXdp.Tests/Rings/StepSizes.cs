namespace AfXdp.Tests.Rings;

/// <summary>A deterministic sequence of batch sizes in 1..max (xorshift32), so ring tests vary their steps reproducibly.</summary>
internal sealed class StepSizes(uint seed)
{
    private uint _state = seed * 2654435761u | 1;

    public uint Next(uint max)
    {
        _state ^= _state << 13;
        _state ^= _state >> 17;
        _state ^= _state << 5;
        return _state % max + 1;
    }
}
