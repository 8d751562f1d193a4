using Forwarder.Configuration;
using Forwarder.Metrics;

namespace Forwarder.Api;

/// <summary>The read-only endpoints: <c>GET /status</c>, <c>GET /config</c>, <c>GET /metrics</c>.</summary>
internal static class StatusEndpoints
{
    public const string YamlContentType = "application/yaml; charset=utf-8";

    public static ApiReply Status(IForwarderControl control, ApiFaults faults)
    {
        IReadOnlyList<QueueStats> queues = control.DataPath.ReadQueues();
        RuntimeReading reading = RuntimeReading.Read(control.Runtime);
        return ApiReply.Ok(new StatusReply(
            reading.Version,
            control.DataPath.InterfaceName,
            queues.Select(q => new QueueStatus(q.Queue, q.Core, q.Rx, q.RxBytes, q.Tx, q.TxBytes, q.Drops, q.DropReasons)).ToArray(),
            reading.Vips.Select(Vip).ToArray(),
            reading.RefusedChanges,
            reading.DownBackends.Select(d => new DownBackendStatus(d.Vip.ToString(), d.Backend.ToString(), d.Backend.Address.ToString(), d.Backend.Port)).ToArray(),
            faults.Count)
        {
            Announce = control.Announce is { } announce ? AnnounceStatus.Of(announce) : null,
            Liveness = LivenessStatus.Of(control.Liveness),
        });
    }

    /// <summary>The running configuration as a complete configuration file, defaults spelled out.</summary>
    public static ApiReply Config(IForwarderControl control) =>
        ApiReply.OfText(ForwarderConfigWriter.Write(control.Runtime.Config), YamlContentType);

    public static ApiReply Metrics(IForwarderControl control, ApiFaults faults) =>
        ApiReply.OfText(ForwarderMetrics.Render(control.DataPath, control.Runtime, faults.Count, control.ReloadFailures, control.LogWriteFailures, control.Announce,
            control.Liveness, control.ViaVipProbes), PrometheusTextWriter.ContentType);

    private static VipStatus Vip(VipReading vip) => new(
        vip.Vip.ToString(),
        vip.Vip.Address.ToString(),
        vip.Vip.Port,
        ConfigNames.Of(ConfigNames.Protocols, vip.Vip.Protocol),
        ConfigNames.Of(ConfigNames.Modes, vip.Mode),
        vip.Digest,
        vip.RingSize,
        vip.Packets,
        vip.Bytes,
        vip.Backends.Select(b => new BackendStatus(b.Id.ToString(), b.Address.ToString(), b.Port, b.Weight, b.Up ? "up" : "down", b.Packets, b.Bytes,
            b.ReplyPackets, b.ReplyBytes)).ToArray())
    {
        Quic = vip.Quic?.ByName(),
        SourceNotAllowed = vip.SourceNotAllowed,
    };
}
