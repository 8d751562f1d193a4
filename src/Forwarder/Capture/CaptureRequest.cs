using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Forwarder.DataPlane;
using Forwarder.Packets;

namespace Forwarder.Capture;

/// <summary>
/// A capture's criteria and limits as an operator gives them (<c>forwarder capture</c>'s options, the query of
/// <c>POST /capture</c>), checked: <see cref="Read"/> returns either the request or every error, each naming the
/// value to fix. Limits are bounded: at most <see cref="MaxCount"/> frames, <see cref="MaxDuration"/>, and a snap
/// length above <see cref="CaptureFilter.MaxSnapLength"/> keeps whole frames (no frame is longer).
/// </summary>
public sealed record CaptureRequest(CaptureFilter Filter, long? Count, TimeSpan? Duration)
{
    public const long MaxCount = 100_000_000;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(24);

    /// <summary>Reads the values given (null or empty = not given); <paramref name="errors"/> lists what is wrong.</summary>
    public static CaptureRequest? Read(string? vip, string? backend, string? dropReason, string? count, string? snapLength, string? duration, out List<string> errors)
    {
        errors = [];
        WireAddress? vipAddress = null, backendAddress = null;
        IpVersion vipVersion = IpVersion.None, backendVersion = IpVersion.None;
        ushort port = 0;
        byte protocol = 0;
        if (!string.IsNullOrEmpty(vip) && ReadVip(vip, errors) is { } parsedVip)
            (vipAddress, vipVersion, port, protocol) = (WireAddress.FromIPAddress(parsedVip.Address), VersionOf(parsedVip.Address), parsedVip.Port, parsedVip.Protocol);
        if (!string.IsNullOrEmpty(backend))
        {
            if (IPAddress.TryParse(backend, out IPAddress? address) && IsPlainAddress(backend))
                (backendAddress, backendVersion) = (WireAddress.FromIPAddress(Unmapped(address)), VersionOf(Unmapped(address)));
            else
                errors.Add($"backend '{Shown(backend)}' is not an IPv4 or IPv6 address (e.g. 10.0.0.2 or fc00::2)");
        }
        DropReason? drop = null;
        if (!string.IsNullOrEmpty(dropReason))
            drop = ReadDropReason(dropReason, errors);
        long? frames = null;
        if (!string.IsNullOrEmpty(count))
        {
            if (long.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out long n) && n is >= 1 and <= MaxCount)
                frames = n;
            else
                errors.Add($"count '{Shown(count)}' is not a number of frames from 1 to {MaxCount}");
        }
        int snap = CaptureFilter.MaxSnapLength;
        if (!string.IsNullOrEmpty(snapLength))
        {
            string digits = snapLength.TrimStart('0');
            if (!snapLength.All(char.IsAsciiDigit) || digits.Length == 0)
                errors.Add($"snaplen '{Shown(snapLength)}' is not a number of bytes of at least 1 (frames are kept whole from {CaptureFilter.MaxSnapLength})");
            else if (digits.Length <= 5)
                snap = Math.Min(int.Parse(digits, CultureInfo.InvariantCulture), CaptureFilter.MaxSnapLength); // more than a frame holds: whole frames
        }
        TimeSpan? lasting = null;
        if (!string.IsNullOrEmpty(duration))
        {
            lasting = ReadDuration(duration);
            if (lasting is null)
                errors.Add($"duration '{Shown(duration)}' is not a time from 1s to 24h (e.g. 30, 30s, 5m, 2h)");
        }
        if (errors.Count > 0)
            return null;
        var filter = new CaptureFilter
        {
            VipAddress = vipAddress, VipVersion = vipVersion, VipPort = port, VipProtocol = protocol,
            Backend = backendAddress, BackendVersion = backendVersion, Drop = drop,
            SnapLength = snap, Count = frames ?? long.MaxValue,
        };
        return new CaptureRequest(filter, frames, lasting);
    }

    private static DropReason? ReadDropReason(string name, List<string> errors)
    {
        foreach (DropReason reason in Enum.GetValues<DropReason>())
        {
            if (reason == DropReason.None || DropReasons.Name(reason) != name)
                continue;
            if (reason == DropReason.TxRingFull)
            {
                errors.Add("drop reason tx_ring_full cannot be captured: the worker finds TX full after the capture saw the frame (as transmitted)");
                return null;
            }
            return reason;
        }
        string known = string.Join(", ", Enum.GetValues<DropReason>().Where(r => r is not DropReason.None and not DropReason.TxRingFull).Select(DropReasons.Name));
        errors.Add($"drop reason '{Shown(name)}' is not one of the metrics' reasons: {known}");
        return null;
    }

    private static (IPAddress Address, ushort Port, byte Protocol)? ReadVip(string text, List<string> errors)
    {
        string rest = text;
        byte protocol = 0;
        int slash = rest.LastIndexOf('/');
        if (slash >= 0)
        {
            protocol = rest[(slash + 1)..].ToLowerInvariant() switch { "tcp" => 6, "udp" => 17, _ => 0 };
            if (protocol == 0)
            {
                errors.Add($"vip '{Shown(text)}': protocol '{Shown(rest[(slash + 1)..])}' is not tcp or udp");
                return null;
            }
            rest = rest[..slash];
        }
        string address = rest;
        string? port = null;
        if (rest.StartsWith('['))
        {
            int close = rest.IndexOf(']');
            if (close < 0 || (close + 1 < rest.Length && rest[close + 1] != ':'))
            {
                errors.Add($"vip '{Shown(text)}' is not ADDRESS[:PORT][/tcp|udp] (IPv6 with a port: [fc00::1]:80)");
                return null;
            }
            address = rest[1..close];
            if (close + 1 < rest.Length)
                port = rest[(close + 2)..];
        }
        else if (rest.Count(c => c == ':') == 1)
        {
            int colon = rest.IndexOf(':');
            (address, port) = (rest[..colon], rest[(colon + 1)..]);
        }
        if (!IPAddress.TryParse(address, out IPAddress? ip) || !IsPlainAddress(address))
        {
            errors.Add($"vip '{Shown(text)}': '{Shown(address)}' is not an IPv4 or IPv6 address (ADDRESS[:PORT][/tcp|udp], e.g. 10.0.0.10:80/tcp)");
            return null;
        }
        ushort number = 0;
        if (port is not null && !ushort.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number))
        {
            errors.Add($"vip '{Shown(text)}': port '{Shown(port)}' is not a number from 0 to 65535");
            return null;
        }
        return (Unmapped(ip), number, protocol);
    }

    /// <summary>Seconds, or a number with s, m or h.</summary>
    private static TimeSpan? ReadDuration(string text)
    {
        char unit = char.IsAsciiLetter(text[^1]) ? char.ToLowerInvariant(text[^1]) : 's';
        string digits = char.IsAsciiLetter(text[^1]) ? text[..^1] : text;
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long n) || n > 100_000)
            return null;
        TimeSpan? span = unit switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            _ => null,
        };
        return span is { } s && s >= TimeSpan.FromSeconds(1) && s <= MaxDuration ? s : null;
    }

    /// <summary>No scope id, no surrounding text: what <see cref="IPAddress.TryParse(string, out IPAddress)"/> accepts beyond an address is refused.</summary>
    private static bool IsPlainAddress(string text) => !text.Contains('%') && text.Trim() == text && (text.Contains(':') || text.Count(c => c == '.') == 3);

    private static IPAddress Unmapped(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static IpVersion VersionOf(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork ? IpVersion.V4 : IpVersion.V6;

    /// <summary>A value as it may be shown back: control characters replaced, cut at 64 characters.</summary>
    private static string Shown(string value)
    {
        string clean = new(value.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return clean.Length <= 64 ? clean : clean[..64] + "...";
    }
}
