using Microsoft.AspNetCore.Http;

namespace Forwarder.Api;

/// <summary>What an endpoint answers: a status code and either an object written as JSON or a text of its own type.</summary>
internal sealed record ApiReply(int Status, object? Json, string? Text = null, string? ContentType = null)
{
    public static ApiReply Ok(object json) => new(StatusCodes.Status200OK, json);

    public static ApiReply OfText(string text, string contentType) => new(StatusCodes.Status200OK, null, text, contentType);

    /// <summary>400: the change was refused; the running configuration (at <paramref name="version"/>) is unchanged.</summary>
    public static ApiReply Refused(IReadOnlyList<string> errors, long? version) => new(StatusCodes.Status400BadRequest, new ErrorReply(errors, version));

    /// <summary>404: the VIP or backend named does not exist; the message names what does.</summary>
    public static ApiReply NotFound(string message, long? version = null) => new(StatusCodes.Status404NotFound, new ErrorReply([message], version));
}
