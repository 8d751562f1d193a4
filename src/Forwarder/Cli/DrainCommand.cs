using System.CommandLine;
using Forwarder.Api;

namespace Forwarder.Cli;

/// <summary>
/// <c>forwarder drain</c>: makes a running forwarder set its liveness device down (BIRD withdraws the VIPs), keep
/// forwarding until its VIPs are quiet, then stop, as SIGTERM does. Returns at once; a second drain changes nothing.
/// </summary>
public static class DrainCommand
{
    public static Command Create()
    {
        var api = new ApiOptions();
        var command = new Command("drain", "Withdraw a running forwarder from its router (its liveness device goes down), keep forwarding until its VIPs " +
            "are quiet, then stop it; returns at once (needs run --liveness-device)") { api.Address, api.TokenFile };
        command.SetAction(async (parse, cancel) =>
        {
            TextWriter output = parse.InvocationConfiguration.Output, errors = parse.InvocationConfiguration.Error;
            if (api.Target(parse, errors) is not { } forwarder)
                return ApiCommandLine.UsageError;
            if (await ApiCommandLine.Call(forwarder, HttpMethod.Post, "/drain", null, errors, cancel) is not { } response)
                return ApiCommandLine.Failure;
            if (response.TryRead<LivenessStatus>(s => s.Device is not null) is not { } state)
            {
                errors.WriteLine($"forwarder drain: the answer at {forwarder.Address} is not a drain's state");
                return ApiCommandLine.Failure;
            }
            output.WriteLine(StatusText.Liveness(state));
            return ApiCommandLine.Success;
        });
        return command;
    }
}
