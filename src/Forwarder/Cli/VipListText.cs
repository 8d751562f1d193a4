using System.Text.Json;

namespace Forwarder.Cli;

/// <summary>How <c>forwarder vip list</c> prints <c>GET /vips</c>: one line per VIP with its backends and weights.</summary>
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
                $"{b.GetProperty("address").GetString()}{(b.TryGetProperty("port", out JsonElement p) ? $" port {p.GetInt64()}" : "")} (weight {b.GetProperty("weight").GetInt64()})").ToArray();
            output.WriteLine($"{(address.Contains(':') ? $"[{address}]" : address)}:{(port == 0 ? "*" : port)}/{vip.GetProperty("protocol").GetString()} " +
                $"{vip.GetProperty("mode").GetString()} maglev {maglev.GetProperty("version").GetString()}/{maglev.GetProperty("ring_size").GetInt64()}: " +
                (backends.Length == 0 ? "no backends" : string.Join(", ", backends)));
        }
    }
}
