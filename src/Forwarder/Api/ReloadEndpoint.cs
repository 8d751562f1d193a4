namespace Forwarder.Api;

/// <summary><c>POST /reload</c>: re-reads the configuration file, as SIGHUP does, and answers with the outcome.</summary>
internal static class ReloadEndpoint
{
    public const string Trigger = "POST /reload";

    public static ApiReply Reload(IForwarderControl control)
    {
        ReloadResult result = control.Reload(Trigger);
        return result.Change.Applied
            ? ApiReply.Ok(new ChangeReply(result.Change.Version, result.Change.Warnings, result.Changed))
            : ApiReply.Refused(result.Change.Errors, result.Change.Version);
    }
}
