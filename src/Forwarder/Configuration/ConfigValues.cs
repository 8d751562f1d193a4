using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Forwarder.Configuration;

/// <summary>
/// Reads typed values out of nodes. Each method returns <c>null</c> after reporting what is wrong, so
/// a caller can carry on and find the next problem.
/// </summary>
internal static class ConfigValues
{
    public static ConfigMapping? Mapping(ConfigNode node, string path, ConfigDiagnostics diagnostics, string expected = "a mapping of settings")
    {
        if (node is ConfigMapping mapping)
            return mapping;
        diagnostics.Error(path, node, $"expected {expected}, got {Describe(node)}");
        return null;
    }

    public static ConfigSequence? Sequence(ConfigNode node, string path, ConfigDiagnostics diagnostics, string expected)
    {
        if (node is ConfigSequence sequence)
            return sequence;
        diagnostics.Error(path, node, $"expected {expected}, got {Describe(node)}");
        return null;
    }

    public static string? Text(ConfigNode node, string path, ConfigDiagnostics diagnostics, string expected)
    {
        if (node is ConfigScalar { IsNull: false } scalar)
            return scalar.Value;
        diagnostics.Error(path, node, $"expected {expected}, got {Describe(node)}");
        return null;
    }

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>], written in decimal without quotes.</summary>
    public static long? Integer(ConfigNode node, string path, ConfigDiagnostics diagnostics, long min, long max)
    {
        string expected = $"a whole number from {min} to {max}";
        if (node is not ConfigScalar { IsNull: false } scalar)
        {
            diagnostics.Error(path, node, $"expected {expected}, got {Describe(node)}");
            return null;
        }
        string text = scalar.Value;
        string unsigned = text.StartsWith('-') ? text[1..] : text;
        if (unsigned.Length == 0 || !unsigned.All(char.IsAsciiDigit))
        {
            diagnostics.Error(path, node, $"expected {expected}, got '{text}'");
            return null;
        }
        if (!scalar.IsPlain)
        {
            diagnostics.Error(path, node, $"expected {expected}, got the quoted text '{text}'; write the number without quotes");
            return null;
        }
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) || value < min || value > max)
        {
            diagnostics.Error(path, node, $"{text} is out of range; expected {expected}");
            return null;
        }
        return value;
    }

    public static ushort? Port(ConfigNode node, string path, ConfigDiagnostics diagnostics, int min = 0) =>
        (ushort?)Integer(node, path, diagnostics, min, ushort.MaxValue);

    /// <summary>
    /// An IPv4 address in dotted-quad form or an IPv6 address; IPv4-mapped IPv6 addresses become IPv4.
    /// Shorthands the system parser would take (<c>10.1</c>, octal <c>010.0.0.1</c>, scope ids) are refused.
    /// </summary>
    public static IPAddress? Address(ConfigNode node, string path, ConfigDiagnostics diagnostics)
    {
        string? text = Text(node, path, diagnostics, "an IPv4 or IPv6 address");
        if (text is null)
            return null;
        if (!TryParseAddress(text.Trim(), out IPAddress? address))
        {
            diagnostics.Error(path, node, $"'{text}' is not an IPv4 or IPv6 address");
            return null;
        }
        return address;
    }

    /// <summary>An address a packet can be sent to: not unspecified, loopback, multicast or broadcast.</summary>
    public static IPAddress? UnicastAddress(ConfigNode node, string path, ConfigDiagnostics diagnostics)
    {
        IPAddress? address = Address(node, path, diagnostics);
        string? problem = address is null ? null : NonUnicastKind(address);
        if (problem is null)
            return address;
        diagnostics.Error(path, node, $"{address} is {problem}; give a unicast address");
        return null;
    }

    /// <summary>A MAC address like 02:00:00:00:00:01 that names one station (not multicast, broadcast or all zeros).</summary>
    public static PhysicalAddress? UnicastMac(ConfigNode node, string path, ConfigDiagnostics diagnostics)
    {
        string? text = Text(node, path, diagnostics, "a MAC address like 02:00:00:00:00:01");
        if (text is null)
            return null;
        byte[] bytes;
        try
        {
            bytes = MacAddress.Parse(text, path);
        }
        catch (FormatException)
        {
            diagnostics.Error(path, node, $"'{text}' is not a MAC address like 02:00:00:00:00:01");
            return null;
        }
        if ((bytes[0] & 1) != 0 || bytes.All(b => b == 0))
        {
            diagnostics.Error(path, node, $"{text} is {((bytes[0] & 1) != 0 ? "a multicast or broadcast" : "the all-zero")} MAC address; give the station's own MAC");
            return null;
        }
        return new PhysicalAddress(bytes);
    }

    /// <summary>One of <paramref name="choices"/>, matched without regard to case.</summary>
    public static T? Choice<T>(ConfigNode node, string path, ConfigDiagnostics diagnostics, ConfigChoice<T>[] choices) where T : struct, Enum
    {
        string expected = $"one of: {ConfigNames.List(choices)}";
        string? text = Text(node, path, diagnostics, expected);
        if (text is null)
            return null;
        foreach (ConfigChoice<T> choice in choices)
        {
            if (string.Equals(choice.Name, text.Trim(), StringComparison.OrdinalIgnoreCase))
                return choice.Value;
        }
        diagnostics.Error(path, node, $"'{text}' is not {expected}");
        return null;
    }

    public static string Describe(ConfigNode node) => node is ConfigScalar { IsNull: false } scalar ? $"'{scalar.Value}'" : node.Kind;

    internal static bool TryParseAddress(string text, out IPAddress? address)
    {
        address = null;
        if (text.Contains(':'))
        {
            if (text.Contains('%') || !IPAddress.TryParse(text, out address) || address.AddressFamily != AddressFamily.InterNetworkV6)
                return false;
            if (address.IsIPv4MappedToIPv6)
                address = address.MapToIPv4();
            return true;
        }
        string[] parts = text.Split('.');
        if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) || (p.Length > 1 && p[0] == '0') || int.Parse(p, CultureInfo.InvariantCulture) > 255))
            return false;
        address = IPAddress.Parse(text);
        return true;
    }

    private static string? NonUnicastKind(IPAddress address)
    {
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            return "the unspecified address";
        if (IPAddress.IsLoopback(address))
            return "a loopback address";
        if (address.Equals(IPAddress.Broadcast))
            return "the broadcast address";
        if (address.IsIPv6Multicast || (address.AddressFamily == AddressFamily.InterNetwork && (address.GetAddressBytes()[0] & 0xF0) == 0xE0))
            return "a multicast address";
        return null;
    }
}
