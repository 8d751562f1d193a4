using Forwarder.IntegrationTests.Infrastructure;
using static Forwarder.IntegrationTests.Decap.DecapTopology;

namespace Forwarder.IntegrationTests.Decap;

/// <summary>attach leaves the program behind when it exits; detach removes it and nothing else.</summary>
public sealed class DecapAttachTests
{
    /// <summary>decap.c's program name, which the kernel reports whole.</summary>
    private const string DecapProgramName = "xdp_decap";

    [RootFact]
    public void The_program_outlives_attach_and_detach_leaves_nothing() => AssertAttachThenDetach("native");

    [RootFact]
    public void A_generic_mode_program_outlives_attach_and_detach_leaves_nothing() => AssertAttachThenDetach("skb");

    [RootFact]
    public void Detach_and_attach_refuse_to_touch_another_program()
    {
        using DecapTopology topology = Create();
        string foreignObject = Path.Combine(AppContext.BaseDirectory, "bpf", "redirect.o");
        topology.Backend.Ip("link", "set", "dev", BackendDevice, "xdpgeneric", "obj", foreignObject, "sec", "xdp");
        string? foreign = XdpAttachment.ProgramOn(topology.Backend, BackendDevice);
        Assert.NotNull(foreign);

        foreach (string subcommand in new[] { "detach", "attach", "status" })
        {
            CommandResult result = DecapCli.Run(topology.Backend, subcommand, "--iface", BackendDevice);
            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Contains(XdpAttachment.ForwarderProgramName, result.Stderr);
            Assert.Contains("not the decap program", result.Stderr);
        }
        Assert.Equal(foreign, XdpAttachment.ProgramOn(topology.Backend, BackendDevice));
    }

    [RootFact]
    public void Bad_arguments_get_a_clear_answer()
    {
        using DecapTopology topology = Create();
        CommandResult badAddress = DecapCli.Run(topology.Backend, "attach", "--iface", BackendDevice, "--address", "10.0.0.0/24");
        Assert.True(badAddress.ExitCode == 2, badAddress.ToString());
        Assert.Contains("--address 10.0.0.0/24", badAddress.Stderr);

        CommandResult badPort = DecapCli.Run(topology.Backend, "attach", "--iface", BackendDevice, "--gue-port", "70000");
        Assert.True(badPort.ExitCode == 2, badPort.ToString());

        CommandResult noDevice = DecapCli.Run(topology.Backend, "attach", "--iface", "nosuchdev0");
        Assert.True(noDevice.ExitCode == 1, noDevice.ToString());
        Assert.Contains("nosuchdev0", noDevice.Stderr);
        Assert.Null(XdpAttachment.ProgramOn(topology.Backend, BackendDevice));
    }

    private static void AssertAttachThenDetach(string mode)
    {
        using DecapTopology topology = Create();
        CommandResult attached = DecapCli.Check(topology.Backend, "attach", "--iface", BackendDevice, "--xdp-mode", mode);
        Assert.Contains("decap attached", attached.Stdout);

        string? program = XdpAttachment.ProgramOn(topology.Backend, BackendDevice);
        Assert.True(program?.Contains(DecapProgramName) == true,
            $"attach exited but the program is not on {BackendDevice}:\n{XdpAttachment.Describe(topology.Backend, BackendDevice)}");
        DecapStatusReport status = DecapCli.Status(topology.Backend, BackendDevice);
        Assert.Equal(mode, status.Value("mode"));
        Assert.Equal("6080", status.Value("gue_port"));

        CommandResult detached = DecapCli.Check(topology.Backend, "detach", "--iface", BackendDevice);
        Assert.Contains("decap detached", detached.Stdout);
        Assert.True(XdpAttachment.ProgramOn(topology.Backend, BackendDevice) is null,
            $"still attached after detach:\n{XdpAttachment.Describe(topology.Backend, BackendDevice)}");

        CommandResult again = DecapCli.Check(topology.Backend, "detach", "--iface", BackendDevice);
        Assert.Contains("nothing to detach", again.Stdout);
        CommandResult noStatus = DecapCli.Run(topology.Backend, "status", "--iface", BackendDevice);
        Assert.True(noStatus.ExitCode == 1, noStatus.ToString());
        Assert.Contains("no decap program", noStatus.Stderr);
    }
}
