using System.Globalization;

namespace Forwarder.Configuration;

/// <summary>Parses and prints 6-byte MAC addresses (aa:bb:cc:dd:ee:ff).</summary>
public static class MacAddress
{
    public static byte[] Parse(string text, string option)
    {
        string[] parts = text.Trim().Split(':', '-');
        var mac = new byte[6];
        if (parts.Length != 6)
            throw new FormatException($"{option} '{text}' is not a MAC address like 02:00:00:00:00:01");
        for (int i = 0; i < 6; i++)
        {
            if (parts[i].Length != 2 || !byte.TryParse(parts[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out mac[i]))
                throw new FormatException($"{option} '{text}' is not a MAC address like 02:00:00:00:00:01");
        }
        return mac;
    }

    public static string Format(ReadOnlySpan<byte> mac) => Convert.ToHexString(mac).ToLowerInvariant() is var h
        ? string.Join(':', Enumerable.Range(0, mac.Length).Select(i => h.Substring(i * 2, 2)))
        : "";
}
