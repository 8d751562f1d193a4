using System.CommandLine;
using System.Text.Json;
using Forwarder.Api;
using Forwarder.ControlPlane;

namespace Forwarder.Cli;

/// <summary>
/// <c>forwarder flow SRC[:PORT] VIP[:PORT] [tcp|udp]</c>: asks a running forwarder where a flow goes
/// (<c>GET /flow</c>): the backend its published snapshot picks, with the flow hash, the ring slot, the VIP's
/// table digest and hash options, and the flow's connection-table entries; with <c>--cid HEX</c> (udp, a quic VIP) also
/// where a QUIC short-header packet with that destination connection id goes. The query is checked here first,
/// so a malformed address, port or connection id is named without a round trip.
/// </summary>
public static class FlowCommand
{
    public static Command Create()
    {
        var api = new ApiOptions();
        var source = new Argument<string>("SRC") { Description = "The client: ADDRESS[:PORT] (IPv6 with a port as [ADDRESS]:PORT); no port = hashed as 0" };
        var vip = new Argument<string>("VIP") { Description = "The VIP: ADDRESS[:PORT]; the port may be left out for an every-port VIP" };
        var protocol = new Argument<string?>("PROTOCOL") { Description = "tcp (default) or udp", Arity = ArgumentArity.ZeroOrOne };
        var cid = new Option<string?>("--cid") { Description = "A QUIC destination connection id (16 to 40 hex digits) to ask a quic VIP about: where a short-header packet carrying it goes, and why" };
        var json = new Option<bool>("--json") { Description = "Print the API's answer as JSON (snake_case, the fields of GET /flow)" };
        var command = new Command("flow", "Show where a running forwarder sends a flow: backend, flow hash, ring slot, table digest, hash options " +
            "and connection-table entries. Example: forwarder flow 192.0.2.7:40000 10.100.0.1:80 tcp")
        {
            api.Address, api.TokenFile, source, vip, protocol, cid, json,
        };
        command.SetAction(async (parse, cancel) =>
        {
            TextWriter output = parse.InvocationConfiguration.Output, errors = parse.InvocationConfiguration.Error;
            var arguments = new FlowArguments(parse.GetValue(source), parse.GetValue(vip), parse.GetValue(protocol), parse.GetValue(cid));
            try
            {
                arguments.Query();
            }
            catch (InvalidRequestException e)
            {
                foreach (string error in e.Errors)
                    errors.WriteLine($"forwarder flow: {error}");
                return ApiCommandLine.UsageError;
            }
            if (api.Target(parse, errors) is not { } forwarder)
                return ApiCommandLine.UsageError;
            if (await ApiCommandLine.Call(forwarder, HttpMethod.Get, PathOf(arguments), null, errors, cancel) is not { } response)
                return ApiCommandLine.Failure;
            if (response.TryRead<FlowAnswer>(a => a.HashOptions is not null && a.Connections is not null && a.Notes is not null) is not { } answer)
            {
                errors.WriteLine($"forwarder flow: the answer at {forwarder.Address} is not a forwarder's flow answer");
                return ApiCommandLine.Failure;
            }
            if (parse.GetValue(json))
                output.WriteLine(JsonSerializer.Serialize(answer, ApiJson.Options));
            else
                FlowText.Write(answer, output);
            return ApiCommandLine.Success;
        });
        return command;
    }

    /// <summary><c>/flow?src=..&amp;dst=..&amp;proto=..[&amp;cid=..]</c>, every value escaped.</summary>
    public static string PathOf(FlowArguments arguments) =>
        $"/flow?src={Uri.EscapeDataString(arguments.Source ?? "")}&dst={Uri.EscapeDataString(arguments.Destination ?? "")}" +
        $"&proto={Uri.EscapeDataString(arguments.Protocol ?? "tcp")}" +
        (arguments.ConnectionId is { } cid ? $"&cid={Uri.EscapeDataString(cid)}" : "");
}
