namespace Forwarder.Cli;

public static class ForwarderCli
{
    public static int Run(string[] args) => 0;
}
