using System.CommandLine;
using System.Text.Json.Nodes;

namespace Forwarder.Cli;

/// <summary><c>forwarder backend add|remove|weight</c>: a VIP's backends, changed live through the running forwarder's API.</summary>
public static class BackendCommand
{
    public static Command Create()
    {
        var command = new Command("backend", "Add or remove a VIP's backends, or set a backend's weight (0 drains it), in a running forwarder (live; the configuration file is not written)");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Remove());
        command.Subcommands.Add(Weight());
        return command;
    }

    private static Command Add()
    {
        var (api, vip, backend, port) = Common();
        var weight = new Option<uint?>("--weight") { Description = "Relative share of flows (default 1; 0 = listed but sent nothing)" };
        var mac = new Option<string?>("--mac") { Description = "The backend's MAC on the local segment (dsr-l2 VIPs: required)" };
        var serverId = new Option<long?>("--server-id") { Description = "quic VIPs: the server id the backend writes into its QUIC connection ids (1-2147483647, unique in the VIP)" };
        var command = new Command("add", "Add a backend to a VIP. Example: forwarder backend add 10.100.0.1:80/tcp 10.0.0.4 --weight 2 (nat: 10.0.0.4:8080 for a backend port)")
        {
            api.Address, api.TokenFile, vip, backend, weight, mac, serverId, port,
        };
        command.SetAction((parse, cancel) => Send(parse, api, vip, backend, port, (target, named) =>
        {
            var body = new JsonObject { ["address"] = named.Address };
            if (parse.GetValue(weight) is { } w)
                body["weight"] = w;
            if (parse.GetValue(mac) is { } m)
                body["mac"] = m;
            if (parse.GetValue(serverId) is { } id)
                body["server_id"] = id;
            if (named.Port is { } p)
                body["port"] = p;
            return (HttpMethod.Post, $"{target.Path}/backends", body.ToJsonString(), $"backend {named} added to {target}");
        }, cancel));
        return command;
    }

    private static Command Remove()
    {
        var (api, vip, backend, port) = Common();
        var command = new Command("remove", "Remove a backend from a VIP (to take it out of the table but keep it listed, set its weight to 0)")
        {
            api.Address, api.TokenFile, vip, backend, port,
        };
        command.SetAction((parse, cancel) => Send(parse, api, vip, backend, port, (target, named) =>
            (HttpMethod.Delete, named.PathUnder(target, ""), null, $"backend {named} removed from {target}"), cancel));
        return command;
    }

    private static Command Weight()
    {
        var (api, vip, backend, port) = Common();
        var weight = new Argument<uint>("WEIGHT") { Description = "The new weight; 0 drains the backend (listed, but out of the Maglev table)" };
        var command = new Command("weight", "Set a backend's weight. Example: forwarder backend weight 10.100.0.1:80/tcp 10.0.0.3 0   (drain)")
        {
            api.Address, api.TokenFile, vip, backend, weight, port,
        };
        command.SetAction((parse, cancel) => Send(parse, api, vip, backend, port, (target, named) =>
        {
            uint value = parse.GetValue(weight);
            return (HttpMethod.Put, named.PathUnder(target, "/weight"), new JsonObject { ["weight"] = value }.ToJsonString(),
                $"backend {named} of {target} weight {value}{(value == 0 ? " (draining)" : "")}");
        }, cancel));
        return command;
    }

    private static (ApiOptions Api, Argument<string> Vip, Argument<string> Backend, Option<ushort?> Port) Common() => (
        new ApiOptions(),
        new Argument<string>("VIP") { Description = "ADDR[:PORT][/tcp|/udp], as listed by forwarder vip list" },
        new Argument<string>("BACKEND")
        {
            Description = "The backend's IPv4 or IPv6 address; nat: ADDRESS:PORT ([ADDRESS]:PORT for IPv6) for a backend port, " +
                "which tells apart one address listed with several ports",
        },
        new Option<ushort?>("--port") { Description = "nat only: the backend's port, as BACKEND's :PORT gives it" });

    private static async Task<int> Send(ParseResult parse, ApiOptions api, Argument<string> vip, Argument<string> backend, Option<ushort?> port,
        Func<VipArgument, BackendArgument, (HttpMethod Method, string Path, string? Body, string Done)> request, CancellationToken cancel)
    {
        TextWriter output = parse.InvocationConfiguration.Output, errors = parse.InvocationConfiguration.Error;
        if (api.Target(parse, errors) is not { } forwarder)
            return ApiCommandLine.UsageError;
        VipArgument target;
        try
        {
            target = VipArgument.Parse(parse.GetValue(vip)!);
        }
        catch (FormatException e)
        {
            errors.WriteLine($"forwarder backend: {e.Message}");
            return ApiCommandLine.UsageError;
        }
        BackendArgument named;
        try
        {
            named = BackendArgument.Parse(parse.GetValue(backend)!, parse.GetValue(port));
        }
        catch (FormatException e)
        {
            errors.WriteLine($"forwarder backend: {e.Message}");
            return ApiCommandLine.UsageError;
        }
        (HttpMethod method, string path, string? body, string done) = request(target, named);
        return await ApiCommandLine.Change(forwarder, method, path, body, done, output, errors, cancel);
    }
}
