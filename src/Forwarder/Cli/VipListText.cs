using System.Text.Json;

namespace Forwarder.Cli;

/// <summary>
/// How <c>forwarder vip list</c> prints <c>GET /vips</c>: one line per VIP with its backends (named as the
/// backend commands take them) and weights.
/// </summary>
internal static class VipListText
{
    public static void Write(JsonElement answer, TextWriter output)
    {
        JsonElement vips = answer.GetProperty("vips");
        output.WriteLine($"table version {answer.GetProperty("version").GetInt64()}, {vips.GetArrayLength()} VIP(s)");
        foreach (JsonElement vip in vips.EnumerateArray())
        {
            string address = vip.GetProperty("address").GetString()!;
            long port = vip.GetProperty("port").GetInt64();
            JsonElement maglev = vip.GetProperty("maglev");
            var backends = vip.GetProperty("backends").EnumerateArray().Select(b =>
                $"{BackendName(b)} (weight {b.GetProperty("weight").GetInt64()})").ToArray();
            output.WriteLine($"{(address.Contains(':') ? $"[{address}]" : address)}:{(port == 0 ? "*" : port)}/{vip.GetProperty("protocol").GetString()} " +
                $"{vip.GetProperty("mode").GetString()} maglev {maglev.GetProperty("version").GetString()}/{maglev.GetProperty("ring_size").GetInt64()}: " +
                (backends.Length == 0 ? "no backends" : string.Join(", ", backends)));
        }
    }

    /// <summary>As the backend commands take it: <c>10.0.0.7</c>, <c>10.0.0.7:8080</c>, <c>[fc00::7]:8080</c>.</summary>
    private static string BackendName(JsonElement backend)
    {
        string address = backend.GetProperty("address").GetString()!;
        return backend.TryGetProperty("port", out JsonElement port) && port.ValueKind == JsonValueKind.Number
            ? $"{(address.Contains(':') ? $"[{address}]" : address)}:{port.GetInt64()}"
            : address;
    }
}
