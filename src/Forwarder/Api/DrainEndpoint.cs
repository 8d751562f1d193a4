using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Forwarder.Api;

/// <summary>
/// <c>POST /drain</c>: sets the liveness device down (BIRD withdraws) and lets forwarding go on until the VIPs are
/// quiet, then the forwarder stops. Answers at once, 202 with the state; a second request changes nothing. 409
/// when the forwarder runs without a liveness device (there is nothing to withdraw: stop it instead).
/// </summary>
internal static class DrainEndpoint
{
    public const string Trigger = "POST /drain";

    public static ApiReply Drain(IForwarderControl control, ILogger log)
    {
        if (control.Drain(Trigger) is not { } reading)
        {
            return new ApiReply(StatusCodes.Status409Conflict, new ErrorReply(
                ["this forwarder runs without a liveness device, so there is nothing to withdraw: start it with --liveness-device NAME, or stop it with SIGTERM"], null));
        }
        log.DrainRequested(Trigger, reading.Draining ? "draining" : "stopping");
        return new ApiReply(StatusCodes.Status202Accepted, LivenessStatus.Of(reading));
    }
}
