using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Forwarder.Api;

/// <summary>
/// A request with a body (or a Content-Type) must declare <c>application/json</c>, with no charset or UTF-8.
/// A web page can send text/plain, form or multipart bodies to any address without asking first (CORS
/// "simple requests"); application/json it cannot, without a preflight the API never grants.
/// </summary>
internal static class JsonContentType
{
    public const string Fix = "send the body as JSON with Content-Type: application/json (curl: -H 'Content-Type: application/json')";

    /// <summary>Null when the request is acceptable, else the refusal.</summary>
    public static string? Refusal(HttpContext context)
    {
        string? declared = context.Request.ContentType;
        bool hasBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? context.Request.ContentLength > 0;
        if (!hasBody && declared is null)
            return null;
        if (declared is null)
            return $"the request has a body but no Content-Type; {Fix}";
        if (!MediaTypeHeaderValue.TryParse(declared, out MediaTypeHeaderValue? type)
            || !string.Equals(type.MediaType, "application/json", StringComparison.OrdinalIgnoreCase))
            return $"Content-Type '{ControlCharacters.Escape(declared)}' is not accepted; {Fix}";
        if (type.CharSet is { } charset && !charset.Trim('"').Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Trim('"').Equals("utf8", StringComparison.OrdinalIgnoreCase))
            return $"Content-Type '{ControlCharacters.Escape(declared)}': the API reads UTF-8 only (charset=utf-8 or none); {Fix}";
        return null;
    }
}
