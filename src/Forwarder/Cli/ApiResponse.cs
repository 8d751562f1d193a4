using System.Text.Json;
using Forwarder.Api;

namespace Forwarder.Cli;

/// <summary>An answer of the control API: its status code and body.</summary>
public sealed record ApiResponse(int Status, string Body)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    public T Read<T>() => JsonSerializer.Deserialize<T>(Body, ApiJson.Options)
        ?? throw new JsonException($"the API answered {Status} with an empty body");

    /// <summary>
    /// The body read as <typeparamref name="T"/>; null when it is not that JSON or <paramref name="complete"/> finds a
    /// part missing (something that is not a forwarder answered).
    /// </summary>
    public T? TryRead<T>(Func<T, bool> complete) where T : class
    {
        try
        {
            T answer = Read<T>();
            return complete(answer) ? answer : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The messages of an error answer (<c>{"errors": [...]}</c>), or the body itself when it is not one.</summary>
    public IReadOnlyList<string> Errors()
    {
        try
        {
            if (JsonSerializer.Deserialize<ErrorReply>(Body, ApiJson.Options) is { Errors: { Count: > 0 } errors })
                return errors;
        }
        catch (JsonException)
        {
            // Not the API's error shape; say what came back.
        }
        return [$"the API answered {Status}{(Body.Length > 0 ? ": " + Body.Trim() : "")}"];
    }
}
