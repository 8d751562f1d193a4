using Forwarder.Configuration;
using Forwarder.ControlPlane;

namespace Forwarder.Api;

/// <summary>
/// <c>POST /vips/{vip}/backends</c>, <c>DELETE /vips/{vip}/backends/{backend}</c> and
/// <c>PUT /vips/{vip}/backends/{backend}/weight</c> (weight 0 drains the backend). <c>{backend}</c> is the
/// backend's address, or <c>ADDRESS:PORT</c> (or the address and <c>?port=N</c>) for a nat backend whose
/// address is listed with several ports (<see cref="ConfigEdits.FindBackend"/>).
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
            return ConfigEdits.RemoveBackend(config, id, backend.Read());
        });

    /// <summary>The body is <c>{"weight": N}</c>.</summary>
    public static ApiReply SetWeight(IForwarderControl control, VipArguments vip, BackendArguments backend, string body) =>
        ApiChange.Run(control.Runtime, config =>
        {
            VipIdentity id = vip.Identity();
            return ConfigEdits.SetWeight(config, id, backend.Read(), ApiBody.ReadWeight(body));
        });
}
