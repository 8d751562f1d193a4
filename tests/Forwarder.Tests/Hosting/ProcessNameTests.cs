using System.Runtime.Versioning;
using Forwarder.Hosting.Privileges;

namespace Forwarder.Tests.Hosting;

/// <summary>What the re-exec runs and hands over so that the process keeps its name.</summary>
[SupportedOSPlatform("linux")]
public sealed class ProcessNameTests
{
    [Fact]
    public void The_executable_is_the_resolved_path_whose_name_the_kernel_gives_the_process()
    {
        string executable = ProcessName.Executable();

        Assert.Equal(Environment.ProcessPath, executable);
        Assert.StartsWith(ProcessName.Current, Path.GetFileName(executable), StringComparison.Ordinal); // the kernel keeps 15 bytes
    }

    [Fact]
    public void The_handed_over_name_is_taken_out_of_the_environment()
    {
        string before = ProcessName.Current;
        Environment.SetEnvironmentVariable(ProcessName.EnvironmentVariable, before);

        ProcessName.RestoreFromEnvironment();

        Assert.Null(Environment.GetEnvironmentVariable(ProcessName.EnvironmentVariable));
        Assert.Equal(before, ProcessName.Current);
    }

    [Fact]
    public void A_name_the_kernel_would_not_give_is_left_alone()
    {
        string before = ProcessName.Current;
        Environment.SetEnvironmentVariable(ProcessName.EnvironmentVariable, "a-name-longer-than-fifteen-bytes");

        ProcessName.RestoreFromEnvironment();

        Assert.Null(Environment.GetEnvironmentVariable(ProcessName.EnvironmentVariable));
        Assert.Equal(before, ProcessName.Current);
    }
}
