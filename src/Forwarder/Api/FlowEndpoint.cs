using Forwarder.ControlPlane;

namespace Forwarder.Api;

/// <summary><c>GET /flow?src=..&amp;dst=..&amp;proto=..</c>: where the published snapshot sends a flow (<see cref="FlowLookup"/>). Reads only; 400 for a malformed query or no such VIP.</summary>
internal static class FlowEndpoint
{
    public static ApiReply Answer(IForwarderControl control, FlowArguments arguments)
    {
        ConfiguredSnapshot published = control.Runtime.Published;
        try
        {
            return ApiReply.Ok(FlowLookup.Answer(published, arguments.Query(), control.ConnectionTables));
        }
        catch (InvalidRequestException e)
        {
            return ApiReply.Refused(e.Errors, published.Snapshot.Version);
        }
        catch (FlowQueryException e)
        {
            return ApiReply.Refused([e.Message], published.Snapshot.Version);
        }
    }
}
