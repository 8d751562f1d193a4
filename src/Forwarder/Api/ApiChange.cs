using System.Text.RegularExpressions;
using Forwarder.Configuration;
using Forwarder.ControlPlane;

namespace Forwarder.Api;

/// <summary>
/// Runs one API edit through <see cref="ForwarderRuntime.Edit"/>: under the runtime's change lock, on the
/// configuration running at that moment, validated whole like a file, published as a new snapshot or
/// refused with the running configuration left as it was. Turns the outcome into the answer.
/// </summary>
internal static partial class ApiChange
{
    public static ApiReply Run(ForwarderRuntime runtime, Func<ForwarderConfig, ForwarderConfig> edit)
    {
        Exception? refusal = null;
        ChangeResult result = runtime.Edit(config =>
        {
            try
            {
                return edit(config);
            }
            catch (Exception e) when (e is InvalidRequestException or UnknownTargetException)
            {
                refusal = e;
                throw;
            }
        });

        if (result.Applied)
            return ApiReply.Ok(new ChangeReply(result.Version, result.Warnings.Select(WithoutPosition).ToArray()));
        return refusal switch
        {
            UnknownTargetException notFound => ApiReply.NotFound(notFound.Message, result.Version),
            InvalidRequestException invalid => ApiReply.Refused(invalid.Errors, result.Version),
            _ => ApiReply.Refused(result.Errors.Select(WithoutPosition).ToArray(), result.Version),
        };
    }

    /// <summary>
    /// An edit is validated as the whole configuration written out (what <c>GET /config</c> shows), so its
    /// messages carry line numbers of a text the caller never sent; the field path says it better alone.
    /// </summary>
    public static string WithoutPosition(string message) => Position().Replace(message, "");

    [GeneratedRegex(@"^line \d+, col \d+: | \(line \d+(?:, col \d+)?\)")]
    private static partial Regex Position();
}
