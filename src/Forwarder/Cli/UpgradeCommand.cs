using System.CommandLine;
using System.Text.Json;
using Forwarder.Api;

namespace Forwarder.Cli;

/// <summary>
/// <c>forwarder upgrade [--binary PATH]</c>: hands a running forwarder over to a new process of PATH (default: the binary
/// it runs) without losing a frame, and prints how it went: <c>upgraded: ...</c> (exit 0), <c>rolled back: ...</c> or
/// <c>refused: ...</c> (exit 1; the running forwarder went on serving).
/// </summary>
public static class UpgradeCommand
{
    /// <summary>Longer than the running forwarder waits for its successor to start (60 s).</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public static Command Create()
    {
        var api = new ApiOptions();
        var binary = new Option<string?>("--binary") { Description = "The new forwarder executable (or its forwarder.dll) [default: the binary the forwarder runs]" };
        var command = new Command("upgrade", "Hand a running forwarder over to a new process (the same or a new binary) with its sockets, program, " +
            "configuration and connection tables, without losing a frame; a new process that fails is rolled back (see docs/operations.md)")
        {
            api.Address, api.TokenFile, binary,
        };
        command.SetAction(async (parse, cancel) =>
        {
            TextWriter output = parse.InvocationConfiguration.Output, errors = parse.InvocationConfiguration.Error;
            if (api.Target(parse, errors) is not { } forwarder)
                return ApiCommandLine.UsageError;
            string? path = parse.GetValue(binary);
            string body = path is null ? "{}" : JsonSerializer.Serialize(new { binary = Path.GetFullPath(path) });
            ApiResponse response;
            try
            {
                using var client = new ApiClient(forwarder, Timeout);
                response = await client.SendAsync(HttpMethod.Post, "/upgrade", body, cancel);
            }
            catch (ApiUnreachableException e)
            {
                errors.WriteLine(e.Message);
                return ApiCommandLine.Failure;
            }
            if (response.TryRead<UpgradeReply>(r => r.Result is not null && r.Message is not null) is { } reply)
            {
                (response.IsSuccess ? output : errors).WriteLine(reply);
                return response.IsSuccess ? ApiCommandLine.Success : ApiCommandLine.Failure;
            }
            foreach (string error in response.Errors())
                errors.WriteLine($"forwarder upgrade: {error}");
            return ApiCommandLine.Failure;
        });
        return command;
    }
}
