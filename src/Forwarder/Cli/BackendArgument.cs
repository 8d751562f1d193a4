using System.Globalization;
using Forwarder.Configuration;

namespace Forwarder.Cli;

/// <summary>
/// A backend named on the command line: <c>ADDRESS</c>, or <c>ADDRESS:PORT</c> (IPv6 as <c>[ADDRESS]:PORT</c>)
/// for a nat backend port, which <c>--port</c> may give instead. The address is the API's to judge.
/// </summary>
internal sealed record BackendArgument(string Address, ushort? Port)
{
    /// <exception cref="FormatException">The port is not one, or BACKEND and <c>--port</c> give two.</exception>
    public static BackendArgument Parse(string text, ushort? portOption)
    {
        (string address, string? portText) = BackendId.Split(text.Trim());
        ushort? port = null;
        if (portText is not null)
        {
            if (!ushort.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out ushort number) || number == 0)
                throw new FormatException($"'{text}' is not ADDRESS or ADDRESS:PORT ([ADDRESS]:PORT for IPv6): port '{portText}' is not a number from 1 to 65535");
            port = number;
        }
        if (port is { } a && portOption is { } b && a != b)
            throw new FormatException($"{text} and --port {b} give two ports; give the port once");
        return new BackendArgument(address.Trim('[', ']'), port ?? portOption);
    }

    /// <summary>The backend's URL under <paramref name="vip"/>, then <paramref name="suffix"/>, then <c>?port=N</c> when it has a port.</summary>
    public string PathUnder(VipArgument vip, string suffix) =>
        $"{vip.Path}/backends/{Uri.EscapeDataString(Address)}{suffix}{(Port is { } port ? "?port=" + port.ToString(CultureInfo.InvariantCulture) : "")}";

    /// <summary><c>10.0.0.4</c>, <c>10.0.0.4:8080</c>, <c>[fc00::4]:8080</c>.</summary>
    public override string ToString() => Port is { } port ? $"{(Address.Contains(':') ? $"[{Address}]" : Address)}:{port}" : Address;
}
