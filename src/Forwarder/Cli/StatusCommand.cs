using System.CommandLine;
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
        var json = new Option<bool>("--json") { Description = "Print the API's answer as it is (JSON, snake_case)" };
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
        if (json)
            output.WriteLine(response.Body);
        else
            StatusText.Write(response.Read<StatusReply>(), output);
        return ApiCommandLine.Success;
    }
}
