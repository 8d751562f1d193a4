using System.Globalization;

namespace Forwarder.Configuration;

/// <summary>Sizes in bytes as the configuration writes them (<c>1073741824</c>, <c>512MiB</c>, <c>2GiB</c>) and as messages print them.</summary>
public static class ByteSize
{
    private static readonly (string Suffix, int Shift)[] Units = [("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10), ("B", 0)];

    /// <summary>A whole number of bytes, optionally followed by B, KiB, MiB, GiB or TiB; null when the text is not one or overflows.</summary>
    public static long? Parse(string text)
    {
        string trimmed = text.Trim();
        int shift = 0;
        foreach ((string suffix, int unitShift) in Units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.Ordinal))
            {
                trimmed = trimmed[..^suffix.Length].TrimEnd();
                shift = unitShift;
                break;
            }
        }
        if (trimmed.Length == 0 || !trimmed.All(char.IsAsciiDigit)
            || !long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value > long.MaxValue >> shift)
            return null;
        return value << shift;
    }

    /// <summary>The exact size in the largest unit it is a whole number of (<c>2GiB</c>, <c>1536MiB</c>, <c>1000</c>): what <see cref="Parse"/> reads back.</summary>
    public static string Exact(long bytes)
    {
        foreach ((string suffix, int shift) in Units)
        {
            if (shift > 0 && bytes != 0 && bytes % (1L << shift) == 0)
                return string.Create(CultureInfo.InvariantCulture, $"{bytes >> shift}{suffix}");
        }
        return bytes.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>For people: one decimal in the largest unit the size reaches (<c>4.6 GiB</c>, <c>590.3 KiB</c>, <c>512 B</c>).</summary>
    public static string Approximate(long bytes)
    {
        foreach ((string suffix, int shift) in Units)
        {
            if (shift > 0 && bytes >= 1L << shift)
                return string.Create(CultureInfo.InvariantCulture, $"{(double)bytes / (1L << shift):0.#} {suffix}");
        }
        return string.Create(CultureInfo.InvariantCulture, $"{bytes} B");
    }
}
