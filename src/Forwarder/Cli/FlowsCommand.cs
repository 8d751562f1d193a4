using System.CommandLine;
using System.Text.Json;
using Forwarder.Api;
using Forwarder.ControlPlane;

namespace Forwarder.Cli;

/// <summary>
/// <c>forwarder flows list VIP [--limit N]</c>: a sample of the connections a running forwarder's tables remember for
/// a VIP (<c>GET /flows</c>); <c>forwarder flows purge BACKEND</c>: forgets every connection remembered on a backend, so
/// they take the current Maglev choice at once (<c>POST /flows/purge</c>). Arguments are checked here first, so a
/// malformed one is named without a round trip.
/// </summary>
public static class FlowsCommand
{
    public static Command Create()
    {
        var command = new Command("flows", "The connections a running forwarder's connection tables remember (needs run --flow-table): list a VIP's, purge a backend's");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Purge());
        return command;
    }

    private static Command List()
    {
        var api = new ApiOptions();
        var vip = new Argument<string>("VIP") { Description = "The VIP: ADDRESS[:PORT][/tcp|/udp|/any] as configured (IPv6 as [ADDRESS]:PORT/PROTOCOL)" };
        var limit = new Option<int>("--limit") { Description = $"Entries at most (1 to {ConnectionListing.MaxLimit})", DefaultValueFactory = _ => ConnectionListing.DefaultLimit };
        var json = new Option<bool>("--json") { Description = "Print the API's answer as JSON (snake_case, the fields of GET /flows)" };
        var command = new Command("list", "List a sample of the connections remembered for a VIP: client, backend, queue and idle time. " +
            "Example: forwarder flows list 10.100.0.1:80/tcp --limit 20") { api.Address, api.TokenFile, vip, limit, json };
        command.SetAction(async (parse, cancel) =>
        {
            TextWriter output = parse.InvocationConfiguration.Output, errors = parse.InvocationConfiguration.Error;
            var arguments = new FlowsArguments(parse.GetValue(vip), parse.GetValue(limit).ToString(System.Globalization.CultureInfo.InvariantCulture), null);
            if (!Check(() => { arguments.Vip(); arguments.Limit(); }, "flows list", errors))
                return ApiCommandLine.UsageError;
            if (api.Target(parse, errors) is not { } forwarder)
                return ApiCommandLine.UsageError;
            string path = $"/flows?vip={Uri.EscapeDataString(arguments.VipText!)}&limit={arguments.LimitText}";
            if (await ApiCommandLine.Call(forwarder, HttpMethod.Get, path, null, errors, cancel) is not { } response)
                return ApiCommandLine.Failure;
            if (response.TryRead<FlowListReply>(r => r.Vip is not null && r.Flows is not null) is not { } reply)
            {
                errors.WriteLine($"forwarder flows list: the answer at {forwarder.Address} is not a forwarder's flow listing");
                return ApiCommandLine.Failure;
            }
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(reply, ApiJson.Options));
                return ApiCommandLine.Success;
            }
            output.WriteLine($"{reply.Vip}: {reply.Flows.Count} connection(s) listed (limit {reply.Limit}, {reply.Queues} queue(s) read)");
            foreach (FlowListEntry flow in reply.Flows)
                output.WriteLine($"  {Endpoint(flow.Client, flow.ClientPort)} → :{flow.VipPort}/{flow.Protocol}  backend {flow.Backend}  queue {flow.Queue}  idle {flow.IdleMs / 1000.0:F1} s");
            return ApiCommandLine.Success;
        });
        return command;
    }

    private static Command Purge()
    {
        var api = new ApiOptions();
        var backend = new Argument<string>("BACKEND") { Description = "The backend: ADDRESS (every port) or ADDRESS:PORT (one nat backend), IPv6 as [ADDRESS]:PORT" };
        var command = new Command("purge", "Forget every connection remembered on a backend: they take the current Maglev choice at once. " +
            "Example: forwarder flows purge 10.0.0.2") { api.Address, api.TokenFile, backend };
        command.SetAction(async (parse, cancel) =>
        {
            TextWriter output = parse.InvocationConfiguration.Output, errors = parse.InvocationConfiguration.Error;
            var arguments = new FlowsArguments(null, null, parse.GetValue(backend));
            if (!Check(() => arguments.Backend(), "flows purge", errors))
                return ApiCommandLine.UsageError;
            if (api.Target(parse, errors) is not { } forwarder)
                return ApiCommandLine.UsageError;
            string path = $"/flows/purge?backend={Uri.EscapeDataString(arguments.BackendText!.Trim())}";
            if (await ApiCommandLine.Call(forwarder, HttpMethod.Post, path, null, errors, cancel) is not { } response)
                return ApiCommandLine.Failure;
            if (response.TryRead<PurgeReply>(r => r.Backend is not null) is not { } reply)
            {
                errors.WriteLine($"forwarder flows purge: the answer at {forwarder.Address} is not a purge's answer");
                return ApiCommandLine.Failure;
            }
            output.WriteLine($"purged {reply.Purged} connection(s) of backend {reply.Backend} from {reply.Queues} queue(s)");
            return ApiCommandLine.Success;
        });
        return command;
    }

    private static bool Check(Action read, string command, TextWriter errors)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidRequestException e)
        {
            foreach (string error in e.Errors)
                errors.WriteLine($"forwarder {command}: {error}");
            return false;
        }
    }

    private static string Endpoint(string address, int port) => address.Contains(':') ? $"[{address}]:{port}" : $"{address}:{port}";
}
