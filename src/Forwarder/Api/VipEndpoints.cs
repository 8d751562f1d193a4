namespace Forwarder.Api;

/// <summary><c>GET /vips</c>, <c>POST /vips</c>, <c>DELETE /vips/{address}/{port}/{protocol}</c>.</summary>
internal static class VipEndpoints
{
    public static ApiReply List(IForwarderControl control)
    {
        long version = control.Runtime.Snapshots.Current.Version;
        return ApiReply.Ok(new VipListReply(version, ConfigJson.Vips(control.Runtime.Config)));
    }

    /// <summary>The body is one VIP as in the configuration file, e.g. <c>{"address": "10.100.0.9", "port": 80, "protocol": "tcp", "backends": [{"address": "10.0.0.1"}]}</c>.</summary>
    public static ApiReply Add(IForwarderControl control, string body) =>
        ApiChange.Run(control.Runtime, config => ConfigEdits.AddVip(config, ApiBody.ReadVip(body, config.Gue)));

    public static ApiReply Remove(IForwarderControl control, VipArguments vip) =>
        ApiChange.Run(control.Runtime, config => ConfigEdits.RemoveVip(config, vip.Identity()));
}
