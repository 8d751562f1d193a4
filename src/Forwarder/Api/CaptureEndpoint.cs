using Forwarder.Capture;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Forwarder.Api;

/// <summary>
/// <c>POST /capture?vip=&amp;backend=&amp;drop_reason=&amp;count=&amp;snaplen=&amp;duration=</c>: captures frames from
/// the workers and answers with them as a pcapng stream (<c>application/x-pcapng</c>) while the capture runs. The
/// capture lives exactly as long as the request: it ends at the count or duration (the stream then closes with the
/// statistics block), or when the client goes away or the API stops. One capture at a time: a second is refused (409) while one runs.
/// Bad values are refused (400) with every error; nothing starts.
/// </summary>
internal static class CaptureEndpoint
{
    public const string ContentType = "application/x-pcapng";

    private static readonly string[] Parameters = ["vip", "backend", "drop_reason", "count", "snaplen", "duration"];

    public static async Task Capture(HttpContext context, IForwarderControl control, ILogger log)
    {
        if (control.Capture is not { } point)
        {
            await ControlApiRoutes.Answer(context, new ApiReply(StatusCodes.Status404NotFound, new ErrorReply(["this forwarder has no workers to capture from"])));
            return;
        }
        IQueryCollection query = context.Request.Query;
        var errors = query.Keys.Where(k => !Parameters.Contains(k))
            .Select(k => $"unknown query parameter '{ControlCharacters.Escape(k)}'; POST /capture takes {string.Join(", ", Parameters)}").ToList();
        CaptureRequest? request = CaptureRequest.Read(Value(query, "vip"), Value(query, "backend"), Value(query, "drop_reason"),
            Value(query, "count"), Value(query, "snaplen"), Value(query, "duration"), out List<string> invalid);
        errors.AddRange(invalid);
        if (request is null || errors.Count > 0)
        {
            await ControlApiRoutes.Answer(context, new ApiReply(StatusCodes.Status400BadRequest, new ErrorReply(errors)));
            return;
        }
        if (CaptureSession.Start(point.Switch, point.Workers, request) is not { } session)
        {
            await ControlApiRoutes.Answer(context, new ApiReply(StatusCodes.Status409Conflict, new ErrorReply(
                ["a capture is running already (one at a time): wait for it to end, or stop it (Ctrl-C the forwarder capture that runs it)"])));
            return;
        }

        log.CaptureStarted(ControlCharacters.Escape(context.Request.QueryString.ToString()));
        string how = "complete";
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = ContentType;
        // The API stopping (the forwarder shutting down) ends the capture at once, as the client going away does.
        CancellationToken stopping = context.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await session.RunAsync(context.Response.Body, ended.Token);
            if (ended.IsCancellationRequested)
                how = stopping.IsCancellationRequested ? "the API stopped" : "client went away";
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            how = stopping.IsCancellationRequested ? "the API stopped" : "client went away";
        }
        finally
        {
            log.CaptureEnded(how, session.Frames, session.Lost);
        }
    }

    private static string? Value(IQueryCollection query, string name) => query.TryGetValue(name, out var values) ? values.ToString() : null;
}
