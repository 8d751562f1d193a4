using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Forwarder.Api;

/// <summary>
/// Wraps every request: a fault of the API (an exception out of a handler) is logged, counted in
/// <see cref="ApiFaults"/> and answered 500, and the next request is served as usual — nothing the API
/// does can stop a worker, which never waits on it. Requests that match no endpoint are told which exist.
/// </summary>
internal static class ApiFaultBarrier
{
    public static async Task Invoke(HttpContext context, RequestDelegate next, ApiFaults faults, ILogger log)
    {
        string request = $"{context.Request.Method} {context.Request.Path}";
        if (context.GetEndpoint() is null)
        {
            await Answer(context, StatusCodes.Status404NotFound, $"no endpoint {request}; the API has: {string.Join(", ", ControlApiRoutes.Endpoints)}");
            return;
        }
        try
        {
            await next(context);
            if (context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed && !context.Response.HasStarted)
                await Answer(context, StatusCodes.Status405MethodNotAllowed, $"{request}: method not allowed; the API has: {string.Join(", ", ControlApiRoutes.Endpoints)}");
        }
        catch (BadHttpRequestException e)
        {
            if (!context.Response.HasStarted)
                await Answer(context, e.StatusCode, $"{request}: {e.Message}");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e)
        {
            faults.Add();
            log.ApiFault(ControlCharacters.Escape(context.Request.Method), ControlCharacters.Escape(context.Request.Path.ToString()), e);
            if (!context.Response.HasStarted)
                await Answer(context, StatusCodes.Status500InternalServerError, $"{request} failed inside the forwarder ({e.GetType().Name}: {e.Message}); it was logged, and forwarding goes on");
        }
    }

    private static Task Answer(HttpContext context, int status, string error) =>
        ControlApiRoutes.Answer(context, new ApiReply(status, new ErrorReply([error])));
}
