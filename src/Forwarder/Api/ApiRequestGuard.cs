using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Forwarder.Api;

/// <summary>
/// Runs before every route, /metrics and status reads included, and refuses what a web page in a browser on
/// the host could send, and what a client without the token may not:
/// <list type="number">
/// <item>any request carrying <c>Origin</c> (browsers add it to cross-origin requests; curl, the CLI and
/// Prometheus never send it): 403;</item>
/// <item>over TCP, a Host that is not the API's address or localhost (DNS rebinding, <see cref="HostHeaderRule"/>): 421;</item>
/// <item>with a token configured, a request without <c>Authorization: Bearer TOKEN</c>: 401;</item>
/// <item>a body not declared <c>application/json</c> (CORS simple requests, <see cref="JsonContentType"/>): 415;</item>
/// <item>a control character in the path's fields or the query: 400 naming the part.</item>
/// </list>
/// A refused request reaches no endpoint, so it changes nothing. Over a Unix socket, who may connect is the
/// socket file's mode (0660); a browser cannot connect to one, so any Host is accepted there — but an Origin
/// is refused there too.
/// </summary>
internal sealed class ApiRequestGuard(ApiToken? token)
{
    public async Task Invoke(HttpContext context, RequestDelegate next)
    {
        if (Refusal(context) is { } refusal)
        {
            if (refusal.Status == StatusCodes.Status401Unauthorized)
                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"forwarder\"";
            await ControlApiRoutes.Answer(context, new ApiReply(refusal.Status, new ErrorReply([refusal.Error])));
            return;
        }
        await next(context);
    }

    private (int Status, string Error)? Refusal(HttpContext context)
    {
        HttpRequest request = context.Request;
        if (request.Headers.Origin.Count > 0)
            return (StatusCodes.Status403Forbidden, $"requests carrying Origin ('{ControlCharacters.Escape(request.Headers.Origin.ToString())}') are refused: " +
                "a web page cannot use this API; use curl, forwarder status|vip|backend|reload|stats, or Prometheus");
        if (HostHeaderRule.Refusal(context) is { } misdirected)
            return (StatusCodes.Status421MisdirectedRequest, misdirected);
        if (token is not null)
        {
            StringValues authorization = request.Headers.Authorization;
            if (authorization.Count == 0)
                return (StatusCodes.Status401Unauthorized, "this API needs its token: send Authorization: Bearer TOKEN " +
                    "(forwarder commands: --api-token-file FILE; curl: -H \"Authorization: Bearer $(cat FILE)\"; Prometheus: bearer_token_file)");
            if (authorization.Count > 1 || !token.Authorizes(authorization[0]))
                return (StatusCodes.Status401Unauthorized, "the token sent is not this API's token (the file given to forwarder run --api-token-file)");
        }
        if (JsonContentType.Refusal(context) is { } unsupported)
            return (StatusCodes.Status415UnsupportedMediaType, unsupported);
        foreach ((string name, object? value) in request.RouteValues)
        {
            if (value is string text && ControlCharacters.First(text) is { } found)
                return (StatusCodes.Status400BadRequest, ControlCharacters.Refusal($"{name} in the path", found));
        }
        foreach ((string name, StringValues values) in request.Query)
        {
            if (ControlCharacters.First(name + values) is { } found)
                return (StatusCodes.Status400BadRequest, ControlCharacters.Refusal($"query parameter {name}", found));
        }
        return null;
    }
}
