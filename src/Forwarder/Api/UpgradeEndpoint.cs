using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Forwarder.Api;

/// <summary>
/// <c>POST /upgrade</c>, body empty or <c>{"binary": "PATH"}</c>: hands the running forwarder over to a new process of
/// that binary (default: the running one) and answers once it is done: 200 <c>upgraded</c> (the answer comes from the
/// process that is leaving), 409 <c>refused</c> (another upgrade runs, or nothing was started), 502 <c>rolled back</c>
/// (the new process failed; this one never stopped serving), 400 for a body that is not that.
/// </summary>
internal static class UpgradeEndpoint
{
    public const string Trigger = "POST /upgrade";

    public static ApiReply Upgrade(IForwarderControl control, string body)
    {
        string? binary;
        try
        {
            binary = ReadBinary(body);
        }
        catch (InvalidRequestException e)
        {
            return new ApiReply(StatusCodes.Status400BadRequest, new ErrorReply([e.Message]));
        }
        if (control.Upgrade(binary, Trigger) is not { } reply)
            return new ApiReply(StatusCodes.Status409Conflict, new ErrorReply(["this forwarder cannot be upgraded in place (it runs without its data path)"]));
        int status = reply.Result switch
        {
            "upgraded" => StatusCodes.Status200OK,
            "rolled back" => StatusCodes.Status502BadGateway,
            _ => StatusCodes.Status409Conflict,
        };
        return new ApiReply(status, reply);
    }

    private static string? ReadBinary(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
            return null;
        try
        {
            using JsonDocument document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 4 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidRequestException("the body must be a JSON object: {} or {\"binary\": \"PATH\"}");
            string? binary = null;
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (property.Name != "binary" || property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                    throw new InvalidRequestException($"'{property.Name}' is not a field of an upgrade: give {{\"binary\": \"PATH\"}} or an empty body");
                binary = property.Value.GetString();
            }
            if (binary is { Length: 0 } || binary?.Any(char.IsControl) == true)
                throw new InvalidRequestException("binary: give the path of the new forwarder executable");
            return binary;
        }
        catch (JsonException e)
        {
            throw new InvalidRequestException($"the body is not JSON: {e.Message}");
        }
    }
}
