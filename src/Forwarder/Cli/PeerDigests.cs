using System.Text.Json;
using Forwarder.Api;

namespace Forwarder.Cli;

/// <summary>One node's VIP table digests as its <c>GET /status</c> gave them, or why they could not be read.</summary>
internal sealed record PeerDigests(string Peer, IReadOnlyDictionary<string, string>? Digests, string? Error)
{
    public static async Task<PeerDigests> ReadAsync(string peer, ApiTarget target, CancellationToken cancel)
    {
        try
        {
            using var client = new ApiClient(target, PeersCommand.PeerTimeout);
            ApiResponse response = await client.GetAsync("/status", cancel);
            if (!response.IsSuccess)
                return new PeerDigests(peer, null, $"answered HTTP {response.Status}: {string.Join("; ", response.Errors())}");
            StatusReply status = response.Read<StatusReply>();
            if (status.Vips is null || status.Vips.Any(v => v?.Vip is null || v.Digest is null))
                return new PeerDigests(peer, null, "the answer is not a forwarder's status (no VIPs with digests)");
            var digests = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (VipStatus vip in status.Vips)
                digests[vip.Vip] = vip.Digest;
            return new PeerDigests(peer, digests, null);
        }
        catch (ApiUnreachableException e)
        {
            return new PeerDigests(peer, null, e.Message);
        }
        catch (JsonException)
        {
            return new PeerDigests(peer, null, "the answer is not a forwarder's status (not its JSON)");
        }
    }
}
