using System.CommandLine;
using System.Net;
using AfXdp;
using Forwarder.Decap;

namespace Forwarder.Cli;

/// <summary>
/// <c>forwarder decap attach|detach|status</c>: on a backend, strip the load balancer's ipip and
/// GUE encapsulation in XDP (bpf/decap.c), for hosts without tunnel modules. attach leaves the
/// program on the interface and exits.
/// </summary>
public static class DecapCommand
{
    private const int UsageError = 2;
    private const int RuntimeError = 1;

    public static Command Create()
    {
        var command = new Command("decap",
            "Backend decapsulation: strip ipip (IPv4/IPv6 in IPv4/IPv6) and GUE (variant 1, direct IP in UDP) outer headers in XDP " +
            "and hand the inner packet to the kernel stack, without ipip, ip6_tunnel or fou modules. Example:\n" +
            "  forwarder decap attach --iface eth0 --address 10.0.0.2\n  forwarder decap status --iface eth0\n  forwarder decap detach --iface eth0");
        command.Subcommands.Add(CreateAttach());
        command.Subcommands.Add(CreateDetach());
        command.Subcommands.Add(CreateStatus());
        return command;
    }

    private static Option<string> InterfaceOption() => new("--iface", "-i") { Description = "The backend's interface, e.g. eth0", Required = true };

    private static Command CreateAttach()
    {
        var iface = InterfaceOption();
        var guePort = new Option<int>("--gue-port") { Description = "UDP destination port of GUE packets; 0 turns GUE off", DefaultValueFactory = _ => DecapOptions.DefaultGuePort };
        var xdpMode = new Option<string>("--xdp-mode") { Description = "Where the program runs: native (driver) or skb (generic, any device)", DefaultValueFactory = _ => "native" };
        xdpMode.AcceptOnlyFromAmong("native", "skb");
        var addresses = new Option<string[]>("--address")
        {
            Description = "Outer destination to decapsulate for (this backend's address the load balancer sends to). Repeat for more. " +
                "Default: the interface's addresses now (re-run attach after they change)",
            AllowMultipleArgumentsPerToken = false,
        };
        var anyDestination = new Option<bool>("--any-destination") { Description = "Decapsulate whatever the outer destination (no address check)" };
        var bpfObject = new Option<string?>("--bpf-object") { Description = "XDP object file [default: bpf/decap.o next to the binary]" };

        var command = new Command("attach",
            "Attach the decap program to an interface and exit; it stays attached. Attaching again reconfigures it in one step (counters restart). " +
            "Refuses if another XDP program is attached.")
        {
            iface, guePort, xdpMode, addresses, anyDestination, bpfObject,
        };
        command.SetAction(parse =>
        {
            DecapOptions options;
            try
            {
                int port = parse.GetValue(guePort);
                if (port is < 0 or > ushort.MaxValue)
                    throw new FormatException($"--gue-port {port}: give 1-65535, or 0 to turn GUE off");
                string[] given = parse.GetValue(addresses) ?? [];
                bool any = parse.GetValue(anyDestination);
                if (any && given.Length > 0)
                    throw new FormatException("--any-destination and --address exclude each other");
                options = new DecapOptions
                {
                    Interface = parse.GetValue(iface)!,
                    GuePort = port,
                    XdpMode = parse.GetValue(xdpMode) == "skb" ? XdpMode.Skb : XdpMode.Native,
                    Addresses = given.Select(ParseAddress).ToArray(),
                    AnyDestination = any,
                    ObjectPath = parse.GetValue(bpfObject) ?? DecapProgram.DefaultObjectPath,
                };
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine($"forwarder decap attach: {e.Message}");
                return UsageError;
            }
            return Guarded("attach", () =>
            {
                DecapAttachResult result = DecapAttachment.Attach(options);
                string gue = result.GuePort == 0 ? "GUE off" : $"GUE port {result.GuePort}";
                string accepted = result.AnyDestination ? "any outer destination" : $"outer destinations {string.Join(", ", result.Destinations)}";
                string replaced = result.Replaced is null ? "" : $", replacing program {result.Replaced.Id}";
                Console.Out.WriteLine($"decap attached to {options.Interface}: program {result.Program.Id}, {result.Program.ModeName} mode, ipip and {gue}, {accepted}{replaced}");
            });
        });
        return command;
    }

    private static Command CreateDetach()
    {
        var iface = InterfaceOption();
        var command = new Command("detach", "Remove the decap program from an interface. Any other XDP program is left alone (and the command fails).") { iface };
        command.SetAction(parse => Guarded("detach", () =>
        {
            string name = parse.GetValue(iface)!;
            InterfaceXdpProgram? removed = DecapAttachment.Detach(name);
            Console.Out.WriteLine(removed is null
                ? $"no decap program on {name}: nothing to detach"
                : $"decap detached from {name}: program {removed.Id} ({removed.ModeName} mode)");
        }));
        return command;
    }

    private static Command CreateStatus()
    {
        var iface = InterfaceOption();
        var command = new Command("status", "Show the decap program on an interface: configuration and counters, one `name value` per line.") { iface };
        command.SetAction(parse => Guarded("status", () =>
        {
            string name = parse.GetValue(iface)!;
            DecapStatus status = DecapAttachment.Status(name);
            TextWriter output = Console.Out;
            output.WriteLine($"interface {name}");
            output.WriteLine($"program {status.Program.Id}");
            output.WriteLine($"mode {status.Program.ModeName}");
            output.WriteLine($"gue_port {status.GuePort}");
            output.WriteLine($"destinations {(status.AnyDestination ? "any" : string.Join(',', status.Destinations))}");
            foreach ((string counter, ulong value) in status.Counters.Named())
                output.WriteLine($"{counter} {value}");
        }));
        return command;
    }

    private static IPAddress ParseAddress(string text) =>
        IPAddress.TryParse(text, out IPAddress? address) && !text.Contains('/')
            ? address
            : throw new FormatException($"--address {text}: give one IPv4 or IPv6 address, e.g. 10.0.0.2 or fc00::2");

    private static int Guarded(string subcommand, Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (Exception e) when (e is XdpException or InvalidOperationException or FileNotFoundException or ArgumentException)
        {
            Console.Error.WriteLine($"forwarder decap {subcommand}: {e.Message}");
            return RuntimeError;
        }
    }
}
