using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Forwarder.Api;

namespace Forwarder.Cli;

/// <summary><c>forwarder vip list|add|remove</c>: the VIPs of a running forwarder, changed live through its API.</summary>
public static class VipCommand
{
    public static Command Create()
    {
        var command = new Command("vip", "List, add or remove the VIPs of a running forwarder (live; the configuration file is not written)");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static Command List()
    {
        var api = new ApiOptions();
        var json = new Option<bool>("--json") { Description = "Print the API's answer as it is: every VIP in the configuration file's field names" };
        var command = new Command("list", "List the VIPs with their mode, table and backends") { api.Address, api.TokenFile, json };
        command.SetAction(async (parse, cancel) =>
        {
            TextWriter output = parse.InvocationConfiguration.Output, errors = parse.InvocationConfiguration.Error;
            if (api.Target(parse, errors) is not { } forwarder)
                return ApiCommandLine.UsageError;
            if (await ApiCommandLine.Call(forwarder, HttpMethod.Get, "/vips", null, errors, cancel) is not { } response)
                return ApiCommandLine.Failure;
            if (parse.GetValue(json))
                output.WriteLine(response.Body);
            else
                VipListText.Write(JsonDocument.Parse(response.Body).RootElement, output);
            return ApiCommandLine.Success;
        });
        return command;
    }

    private static Command Add()
    {
        var api = new ApiOptions();
        var vip = new Argument<string?>("VIP") { Description = "ADDR[:PORT][/tcp|/udp]; IPv6 as [ADDR]:PORT; no port = every port, no protocol = both", Arity = ArgumentArity.ZeroOrOne };
        var mode = new Option<string?>("--mode") { Description = "ipip (default), gue, dsr-l2 or nat" };
        var backends = new Option<string[]>("--backend") { Description = "A backend's address (weight 1; see forwarder backend add for more). Repeat for more", AllowMultipleArgumentsPerToken = false };
        var flags = new Option<string[]>("--flag") { Description = "A VIP flag: no_source_port, dport_only or src_dst_port. Repeat for more" };
        var maglev = new Option<string?>("--maglev") { Description = "Maglev version: v2 (default) or v1" };
        var ringSize = new Option<int?>("--ring-size") { Description = "Slots of the Maglev table (a prime; default 65537)" };
        var flowTable = new Option<string?>("--flow-table") { Description = "remember (default) or bypass: whether run --flow-table remembers this VIP's flows" };
        var quic = new Option<bool>("--quic") { Description = "Route UDP packets by the server id in their QUIC connection id (udp VIPs; give backends one with forwarder backend add --server-id)" };
        var json = new Option<string?>("--json") { Description = "The whole VIP as JSON in the configuration file's field names (or @FILE), instead of VIP and the options above" };
        var command = new Command("add", "Add a VIP. Examples:\n" +
            "  forwarder vip add 10.100.0.9:80/tcp --backend 10.0.0.1 --backend 10.0.0.2\n" +
            "  forwarder vip add --json '{\"address\": \"10.100.0.9\", \"port\": 53, \"protocol\": \"udp\", \"mode\": \"dsr-l2\", " +
            "\"backends\": [{\"address\": \"10.0.0.1\", \"mac\": \"02:00:00:00:00:0b\"}]}'")
        {
            api.Address, api.TokenFile, vip, mode, backends, flags, maglev, ringSize, flowTable, quic, json,
        };
        command.SetAction(async (parse, cancel) =>
        {
            TextWriter output = parse.InvocationConfiguration.Output, errors = parse.InvocationConfiguration.Error;
            if (api.Target(parse, errors) is not { } forwarder)
                return ApiCommandLine.UsageError;
            string body;
            try
            {
                if (parse.GetValue(json) is { } given)
                {
                    var alsoGiven = new Option[] { mode, backends, flags, maglev, ringSize, flowTable, quic }
                        .Where(option => parse.GetResult(option) is { Implicit: false }).Select(option => option.Name).ToList();
                    if (parse.GetValue(vip) is not null)
                        alsoGiven.Insert(0, "VIP");
                    if (alsoGiven.Count > 0)
                        throw new FormatException($"--json gives the whole VIP: leave out {string.Join(", ", alsoGiven)} (or put them in the JSON)");
                    body = given.StartsWith('@') ? File.ReadAllText(given[1..]) : given;
                }
                else
                {
                    if (parse.GetValue(vip) is not { } text)
                        throw new FormatException("give the VIP (e.g. 10.100.0.9:80/tcp), or --json");
                    body = VipBody(VipArgument.Parse(text), new VipChoices(parse.GetValue(mode), parse.GetValue(backends) ?? [], parse.GetValue(flags) ?? [],
                        parse.GetValue(maglev), parse.GetValue(ringSize), parse.GetValue(flowTable), parse.GetValue(quic)));
                }
            }
            catch (Exception e) when (e is FormatException or IOException)
            {
                errors.WriteLine($"forwarder vip add: {e.Message}");
                return ApiCommandLine.UsageError;
            }
            return await ApiCommandLine.Change(forwarder, HttpMethod.Post, "/vips", body, "VIP added", output, errors, cancel);
        });
        return command;
    }

    private static Command Remove()
    {
        var api = new ApiOptions();
        var vip = new Argument<string>("VIP") { Description = "ADDR[:PORT][/tcp|/udp], as listed by forwarder vip list" };
        var command = new Command("remove", "Remove a VIP: its traffic goes back to the kernel") { api.Address, api.TokenFile, vip };
        command.SetAction(async (parse, cancel) =>
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
                errors.WriteLine($"forwarder vip remove: {e.Message}");
                return ApiCommandLine.UsageError;
            }
            return await ApiCommandLine.Change(forwarder, HttpMethod.Delete, target.Path, null, $"VIP {target} removed", output, errors, cancel);
        });
        return command;
    }

    /// <summary>What <c>vip add</c>'s options said; null (or empty, or false) = not given, the API's default.</summary>
    private sealed record VipChoices(string? Mode, string[] Backends, string[] Flags, string? Maglev, int? RingSize, string? FlowTable, bool Quic);

    /// <summary>
    /// The VIP as the API takes it: the configuration file's field names, only what was given. Values are
    /// passed as written: the API checks them and names what is wrong, as it does for a file.
    /// </summary>
    private static string VipBody(VipArgument vip, VipChoices given)
    {
        var body = new JsonObject
        {
            ["address"] = vip.Address,
            ["port"] = vip.Port,
            ["protocol"] = vip.Protocol,
        };
        if (given.Mode is not null)
            body["mode"] = given.Mode;
        if (given.Flags.Length > 0)
            body["flags"] = new JsonArray(given.Flags.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray());
        if (given.Maglev is not null || given.RingSize is not null)
        {
            var table = new JsonObject();
            if (given.Maglev is not null)
                table["version"] = given.Maglev;
            if (given.RingSize is not null)
                table["ring_size"] = given.RingSize;
            body["maglev"] = table;
        }
        if (given.FlowTable is not null)
            body["flow_table"] = given.FlowTable;
        if (given.Quic)
            body["quic"] = true;
        body["backends"] = new JsonArray(given.Backends.Select(b => (JsonNode?)new JsonObject { ["address"] = b }).ToArray());
        return body.ToJsonString();
    }
}
