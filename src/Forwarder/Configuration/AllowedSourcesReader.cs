using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Forwarder.Configuration;

/// <summary>
/// Reads a VIP's <c>allowed_sources</c>: a non-empty list of CIDR prefixes (<c>10.0.0.0/8</c>, <c>2001:db8::/32</c>; a bare
/// address is a /32 or /128) of the VIP's own family, without host bits. An empty list is refused rather than taken as
/// "allow all" or "allow none": leaving the key out allows every source.
/// </summary>
internal static class AllowedSourcesReader
{
    /// <summary>The most prefixes one VIP may list: bounds the list's table (see <see cref="TableMemory"/>).</summary>
    public const int MaxPrefixes = 16384;

    /// <param name="vipAddress">The VIP's address, or null when it had errors (the family check is then skipped).</param>
    public static EquatableArray<IPNetwork>? Read(ConfigNode node, string path, IPAddress? vipAddress, ConfigDiagnostics diagnostics)
    {
        if (ConfigValues.Sequence(node, path, diagnostics, "a list of source prefixes, e.g. [10.0.0.0/8, 2001:db8::/32]") is not { } sequence)
            return null;
        if (sequence.Items.Count == 0)
        {
            diagnostics.Error(path, node, "an empty list would drop every client; list the prefixes to allow, or leave allowed_sources out to allow every source");
            return null;
        }
        if (sequence.Items.Count > MaxPrefixes)
        {
            diagnostics.Error(path, node, $"{sequence.Items.Count} prefixes; at most {MaxPrefixes} are allowed per VIP");
            return null;
        }
        var prefixes = new List<IPNetwork>(sequence.Items.Count);
        bool valid = true;
        for (int i = 0; i < sequence.Items.Count; i++)
        {
            IPNetwork? prefix = Prefix(sequence.Items[i], ConfigPath.Item(path, i), vipAddress, diagnostics);
            valid &= prefix is not null;
            if (prefix is { } read)
                prefixes.Add(read);
        }
        return valid ? prefixes.ToEquatableArray() : null;
    }

    private static IPNetwork? Prefix(ConfigNode node, string path, IPAddress? vipAddress, ConfigDiagnostics diagnostics)
    {
        if (ConfigValues.Text(node, path, diagnostics, "a prefix such as 10.0.0.0/8 or 2001:db8::/32") is not { } text)
            return null;
        string trimmed = text.Trim();
        int slash = trimmed.IndexOf('/');
        string addressText = slash < 0 ? trimmed : trimmed[..slash];
        if (!ConfigValues.TryParseAddress(addressText, out IPAddress? address))
        {
            diagnostics.Error(path, node, $"'{text}' is not a prefix: '{addressText}' is not an IPv4 or IPv6 address; expected e.g. 10.0.0.0/8 or 2001:db8::/32");
            return null;
        }
        int bits = address!.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        int length = bits;
        if (slash >= 0)
        {
            string lengthText = trimmed[(slash + 1)..];
            if (lengthText.Length is 0 or > 3 || !lengthText.All(char.IsAsciiDigit)
                || !int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > bits)
            {
                diagnostics.Error(path, node, $"'{text}': the prefix length must be a whole number from 0 to {bits} for an {Family(address)} prefix");
                return null;
            }
        }
        var network = new IPNetwork(Masked(address, length), length);
        if (!network.BaseAddress.Equals(address))
        {
            diagnostics.Error(path, node, $"'{text}' has host bits set past /{length}; did you mean {network}?");
            return null;
        }
        if (vipAddress is not null && vipAddress.AddressFamily != address.AddressFamily)
        {
            diagnostics.Error(path, node, $"{network} is an {Family(address)} prefix, but the VIP {vipAddress} only receives {Family(vipAddress)} clients");
            return null;
        }
        return network;
    }

    private static IPAddress Masked(IPAddress address, int length)
    {
        byte[] bytes = address.GetAddressBytes();
        for (int bit = length; bit < bytes.Length * 8; bit++)
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return new IPAddress(bytes);
    }

    private static string Family(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
}
