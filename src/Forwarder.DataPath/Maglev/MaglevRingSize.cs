namespace Forwarder.Maglev;

/// <summary>
/// The number of slots in a Maglev table. It must be prime: every skip in [1, M-1] is then coprime
/// with M, so each endpoint's preference list visits every slot.
/// </summary>
public static class MaglevRingSize
{
    /// <summary>Katran's default ring size.</summary>
    public const int Default = 65537;

    /// <summary>A larger prime ring size, for more even shares with many backends.</summary>
    public const int Large = 655373;

    public const int Min = 2;

    /// <summary>An upper bound that keeps a table (4 bytes a slot) within 64 MiB.</summary>
    public const int Max = 1 << 24;

    public static bool IsValid(int ringSize) => ringSize >= Min && ringSize <= Max && IsPrime(ringSize);

    /// <summary>Throws a clear <see cref="ArgumentOutOfRangeException"/> unless <paramref name="ringSize"/> is valid.</summary>
    public static void Validate(int ringSize)
    {
        if (!IsValid(ringSize))
        {
            throw new ArgumentOutOfRangeException(nameof(ringSize), ringSize,
                $"A Maglev ring size must be a prime between {Min} and {Max} (default {Default}).");
        }
    }

    internal static bool IsPrime(int value)
    {
        if (value < 2)
        {
            return false;
        }
        if (value % 2 == 0)
        {
            return value == 2;
        }
        for (int divisor = 3; divisor <= value / divisor; divisor += 2)
        {
            if (value % divisor == 0)
            {
                return false;
            }
        }
        return true;
    }
}
