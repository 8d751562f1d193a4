using System.Net;
using System.Net.Sockets;

namespace Forwarder.Configuration;

/// <summary>
/// What names a backend within its VIP: its address and, under <c>nat</c>, its port. A <c>nat</c> VIP may
/// list one address with several ports, each a backend of its own (its own share, health and counters);
/// every other backend is named by its address alone (<see cref="Port"/> null).
/// </summary>
public readonly record struct BackendId(IPAddress Address, ushort? Port)
{
    /// <summary>Whether <paramref name="backend"/> is the backend this names.</summary>
    public bool Names(BackendConfig backend) => backend.Address.Equals(Address) && backend.Port == Port;

    /// <summary>As operators write it: <c>10.0.0.1</c>, <c>10.0.0.1:8080</c>, <c>fc00::1</c>, <c>[fc00::1]:8080</c>.</summary>
    public override string ToString() => Port is { } port
        ? $"{(Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address)}:{port}"
        : Address.ToString();

    /// <summary>
    /// Splits a backend as written on a command line or in a URL — <c>ADDRESS</c>, <c>ADDRESS:PORT</c>,
    /// <c>[IPV6]</c>, <c>[IPV6]:PORT</c> — into its address and port texts, without judging either. An IPv6
    /// address with a port needs its brackets (<c>fc00::1</c> alone is an address).
    /// </summary>
    public static (string Address, string? Port) Split(string text)
    {
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']');
            if (close > 0 && close == text.Length - 1)
                return (text[1..close], null);
            if (close > 0 && text[close + 1] == ':')
                return (text[1..close], text[(close + 2)..]);
            return (text, null);
        }
        int colon = text.IndexOf(':');
        return colon >= 0 && colon == text.LastIndexOf(':') ? (text[..colon], text[(colon + 1)..]) : (text, null);
    }
}
