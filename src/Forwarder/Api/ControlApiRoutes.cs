using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Forwarder.Api;

/// <summary>
/// The API's routes. Every request is answered by one of the endpoint classes, which only read the
/// runtime and counters or change the configuration through the runtime; none of them ever touches a
/// worker. Changes (POST, PUT, DELETE) are logged with their outcome. Every request has passed
/// <see cref="ApiRequestGuard"/> first.
/// </summary>
internal static class ControlApiRoutes
{
    private const string Vip = "/vips/{address}/{port}/{protocol}";
    private const string Backend = Vip + "/backends/{backend}";

    /// <summary>Every endpoint, for the answer to a request that matches none.</summary>
    public static readonly string[] Endpoints =
    [
        "GET /status", "GET /config", "GET /metrics", "GET /flow?src=ADDRESS[:PORT]&dst=VIP[:PORT]&proto=tcp|udp[&cid=HEX]", "GET /vips", "POST /vips", $"DELETE {Vip}", $"POST {Vip}/backends",
        $"DELETE {Backend}", $"PUT {Backend}/weight", "POST /reload", "POST /capture", "POST /drain", "POST /upgrade",
        "GET /flows?vip=ADDRESS:PORT/PROTOCOL&limit=N", "POST /flows/purge?backend=ADDRESS[:PORT]",
    ];

    public static void Map(IEndpointRouteBuilder app, IForwarderControl control, ApiFaults faults, ILogger log)
    {
        app.MapGet("/status", context => Answer(context, StatusEndpoints.Status(control, faults)));
        app.MapGet("/config", context => Answer(context, StatusEndpoints.Config(control)));
        app.MapGet("/metrics", context => Answer(context, StatusEndpoints.Metrics(control, faults)));
        app.MapGet("/vips", context => Answer(context, VipEndpoints.List(control)));
        app.MapGet("/flow", context => Answer(context, FlowEndpoint.Answer(control, new FlowArguments(
            context.Request.Query["src"].ToString(), context.Request.Query["dst"].ToString(), context.Request.Query["proto"].ToString(),
            context.Request.Query.TryGetValue("cid", out var cid) ? cid.ToString() : null))));
        app.MapPost("/vips", async context =>
            await Change(context, log, VipEndpoints.Add(control, await Body(context))));
        app.MapDelete(Vip, context =>
            Change(context, log, VipEndpoints.Remove(control, VipOf(context))));
        app.MapPost(Vip + "/backends", async context =>
            await Change(context, log, BackendEndpoints.Add(control, VipOf(context), await Body(context))));
        app.MapDelete(Backend, context =>
            Change(context, log, BackendEndpoints.Remove(control, VipOf(context), BackendOf(context))));
        app.MapPut(Backend + "/weight", async context =>
            await Change(context, log, BackendEndpoints.SetWeight(control, VipOf(context), BackendOf(context), await Body(context))));
        app.MapPost("/reload", context => Change(context, log, ReloadEndpoint.Reload(control)));
        app.MapPost("/capture", context => CaptureEndpoint.Capture(context, control, log));
        app.MapPost("/drain", context => Answer(context, DrainEndpoint.Drain(control, log)));
        app.MapPost("/upgrade", async context =>
        {
            string body = await Body(context);
            await Answer(context, await Task.Run(() => UpgradeEndpoint.Upgrade(control, body))); // blocks while the new process starts
        });
        app.MapGet("/flows", context => Answer(context, FlowsEndpoint.List(control, FlowsOf(context))));
        app.MapPost("/flows/purge", async context =>
            await Change(context, log, await FlowsEndpoint.Purge(control, FlowsOf(context), log, context.RequestAborted)));
    }

    public static async Task Answer(HttpContext context, ApiReply reply)
    {
        context.Response.StatusCode = reply.Status;
        if (reply.Text is { } text)
        {
            context.Response.ContentType = reply.ContentType;
            await context.Response.WriteAsync(text, context.RequestAborted);
            return;
        }
        context.Response.ContentType = ApiJson.ContentType;
        await System.Text.Json.JsonSerializer.SerializeAsync(context.Response.Body, reply.Json, reply.Json!.GetType(), ApiJson.Options, context.RequestAborted);
    }

    private static Task Change(HttpContext context, ILogger log, ApiReply reply)
    {
        // Request text is escaped: a control character from a request never reaches the log raw.
        string method = ControlCharacters.Escape(context.Request.Method), path = ControlCharacters.Escape(context.Request.Path.ToString());
        switch (reply.Json)
        {
            case ChangeReply applied:
                log.ChangeApplied(method, path, applied.Version);
                break;
            case ErrorReply refused:
                log.ChangeRefused(method, path, ControlCharacters.Escape(string.Join("; ", refused.Errors)), refused.Version ?? 0);
                break;
        }
        return Answer(context, reply);
    }

    private static FlowsArguments FlowsOf(HttpContext context) =>
        new(context.Request.Query["vip"].ToString(), context.Request.Query["limit"].ToString(), context.Request.Query["backend"].ToString());

    private static VipArguments VipOf(HttpContext context) =>
        new(Route(context, "address"), Route(context, "port"), Route(context, "protocol"));

    private static BackendArguments BackendOf(HttpContext context) =>
        new(Route(context, "backend"), context.Request.Query["port"].ToString());

    private static string Route(HttpContext context, string name) => context.Request.RouteValues[name] as string ?? "";

    private static async Task<string> Body(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(context.RequestAborted);
    }
}
