using System.Globalization;
using System.Net;

namespace Forwarder.Api;

/// <summary>A backend's address from the URL and the optional <c>?port=N</c> that tells apart a nat backend listed with several ports.</summary>
internal sealed record BackendArguments(string Address, string? Port)
{
    /// <exception cref="InvalidRequestException">The address or port is malformed.</exception>
    public (IPAddress Address, ushort? Port) Read()
    {
        var errors = new List<string>();
        IPAddress? address = VipRoute.ParseAddress(Address, "backend address", errors);
        ushort? port = null;
        if (!string.IsNullOrEmpty(Port))
        {
            if (ushort.TryParse(Port, NumberStyles.None, CultureInfo.InvariantCulture, out ushort number) && number > 0)
                port = number;
            else
                errors.Add($"port '{Port}' is not a number from 1 to 65535");
        }
        if (errors.Count > 0)
            throw new InvalidRequestException(errors);
        return (address!, port);
    }
}
