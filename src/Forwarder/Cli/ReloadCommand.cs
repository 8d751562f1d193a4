using System.CommandLine;

namespace Forwarder.Cli;

/// <summary><c>forwarder reload</c>: makes a running forwarder re-read its configuration file now (as SIGHUP does) and says what came of it.</summary>
public static class ReloadCommand
{
    public static Command Create()
    {
        var api = new ApiOptions();
        var command = new Command("reload", "Make a running forwarder re-read its configuration file (as SIGHUP does); a refused file is reported " +
            "with every problem and the running configuration stays as it was (exit 1)") { api.Address, api.TokenFile };
        command.SetAction(async (parse, cancel) =>
        {
            TextWriter output = parse.InvocationConfiguration.Output, errors = parse.InvocationConfiguration.Error;
            if (api.Target(parse, errors) is not { } forwarder)
                return ApiCommandLine.UsageError;
            return await ApiCommandLine.Change(forwarder, HttpMethod.Post, "/reload", null, "reloaded", output, errors, cancel);
        });
        return command;
    }
}
