using System.CommandLine;
using System.Runtime.Versioning;
using Forwarder.Cli;
using Forwarder.Hosting.Privileges;

namespace Forwarder.Tests.Cli;

/// <summary>The help names every capability the start-up check requires, so that it cannot drift from the check.</summary>
[SupportedOSPlatform("linux")]
public sealed class RunHelpTests
{
    /// <summary>What the start-up check asks for: each set-up capability, and CAP_IPC_LOCK for the UMEMs (or a memlock limit).</summary>
    public static TheoryData<string> Required()
    {
        var names = new TheoryData<string>();
        foreach ((Capability capability, _) in PrivilegeNeeds.SetUp)
            names.Add(CapabilitySet.NameOf(capability));
        names.Add(CapabilitySet.NameOf(Capability.IpcLock));
        return names;
    }

    private static string Help(params string[] args)
    {
        var output = new StringWriter();
        int exitCode = ForwarderCli.Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = output });
        Assert.Equal(0, exitCode);
        return output.ToString();
    }

    [Theory]
    [MemberData(nameof(Required))]
    public void Run_help_names_every_capability_set_up_needs(string capability)
    {
        Assert.Contains(capability, Help("run", "--help"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Required))]
    public void The_overview_names_them_too(string capability)
    {
        Assert.Contains(capability, Help("--help"), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_help_names_what_it_keeps_after_the_re_exec()
    {
        string help = Help("run", "--help");

        foreach (string kept in PrivilegeNeeds.Running.CapabilityNames())
            Assert.Contains(kept, help, StringComparison.Ordinal);
        Assert.Contains(CapabilitySet.NameOf(Capability.SetPcap), help, StringComparison.Ordinal);
    }
}
