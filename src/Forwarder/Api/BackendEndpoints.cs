using System.Net;
using Forwarder.Configuration;
using Forwarder.ControlPlane;

namespace Forwarder.Api;

/// <summary>
/// <c>POST /vips/{vip}/backends</c>, <c>DELETE /vips/{vip}/backends/{backend_address}</c> and
/// <c>PUT /vips/{vip}/backends/{backend_address}/weight</c> (weight 0 drains the backend).
/// </summary>
internal static class BackendEndpoints
{
    /// <summary>The body is one backend as in the configuration file, e.g. <c>{"address": "10.0.0.4", "weight": 2}</c>.</summary>
    public static ApiReply Add(IForwarderControl control, VipArguments vip, string body) =>
        ApiChange.Run(control.Runtime, config =>
        {
            VipIdentity id = vip.Identity();
            VipConfig target = ConfigEdits.FindVip(config, id);
            return ConfigEdits.AddBackend(config, id, ApiBody.ReadBackend(body, target.Mode));
        });

    public static ApiReply Remove(IForwarderControl control, VipArguments vip, BackendArguments backend) =>
        ApiChange.Run(control.Runtime, config =>
        {
            VipIdentity id = vip.Identity();
            (IPAddress address, ushort? port) = backend.Read();
            return ConfigEdits.RemoveBackend(config, id, address, port);
        });

    /// <summary>The body is <c>{"weight": N}</c>.</summary>
    public static ApiReply SetWeight(IForwarderControl control, VipArguments vip, BackendArguments backend, string body) =>
        ApiChange.Run(control.Runtime, config =>
        {
            VipIdentity id = vip.Identity();
            (IPAddress address, ushort? port) = backend.Read();
            return ConfigEdits.SetWeight(config, id, address, port, ApiBody.ReadWeight(body));
        });
}
