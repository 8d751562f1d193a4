using System.Text.Json.Nodes;

namespace Forwarder.Api;

/// <summary><c>GET /vips</c>: the table version and every VIP in the configuration file's field names.</summary>
public sealed record VipListReply(long Version, JsonArray Vips);
