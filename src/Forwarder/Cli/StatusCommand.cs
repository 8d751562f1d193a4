using System.CommandLine;
using System.Text.Json;
using Forwarder.Api;

namespace Forwarder.Cli;

/// <summary>
/// <c>forwarder status</c>: asks a running forwarder for its table version, queues, VIPs with their Maglev
/// table digests (compare them across the nodes of an ECMP group), backends with weight and health, and
/// refused changes.
/// </summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var api = new ApiOptions();
        var json = new Option<bool>("--json") { Description = "Print the API's answer as JSON (snake_case, the fields of GET /status)" };
        var command = new Command("status", "Show a running forwarder's table version, queues, VIPs with their table digests, backends with weight and health, " +
            "and refused changes") { api.Address, api.TokenFile, json };
        command.SetAction((parse, cancel) => Run(parse, api, parse.GetValue(json), cancel));
        return command;
    }

    private static async Task<int> Run(ParseResult parse, ApiOptions api, bool json, CancellationToken cancel)
    {
        TextWriter output = parse.InvocationConfiguration.Output, errors = parse.InvocationConfiguration.Error;
        if (api.Target(parse, errors) is not { } forwarder)
            return ApiCommandLine.UsageError;
        if (await ApiCommandLine.Call(forwarder, HttpMethod.Get, "/status", null, errors, cancel) is not { } response)
            return ApiCommandLine.Failure;
        if (Parse(response) is not { } status)
        {
            errors.WriteLine($"forwarder status: the answer at {forwarder.Address} is not a forwarder's status: {Excerpt(response.Body)}");
            return ApiCommandLine.Failure;
        }
        if (json)
            output.WriteLine(JsonSerializer.Serialize(status, ApiJson.Options));
        else
            StatusText.Write(status, output);
        return ApiCommandLine.Success;
    }

    /// <summary>The status in the answer; null when the body is not one (not JSON, or a document without a status's lists).</summary>
    private static StatusReply? Parse(ApiResponse response) =>
        response.TryRead<StatusReply>(status => status.Interface is not null && status.Queues is not null && status.Vips is not null
            && status.DownBackends is not null && status.Vips.All(v => v?.Backends is not null) && status.Queues.All(q => q?.DropReasons is not null));

    private static string Excerpt(string body)
    {
        string line = new(body.Trim().ReplaceLineEndings(" ").Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return line.Length == 0 ? "an empty body" : line.Length <= 80 ? line : line[..80] + "...";
    }
}
