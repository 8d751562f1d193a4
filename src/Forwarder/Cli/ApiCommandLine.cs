using System.CommandLine;
using Forwarder.Api;

namespace Forwarder.Cli;

/// <summary>What the commands that talk to a running forwarder share (besides <see cref="ApiOptions"/>): exit codes, how answers are printed.</summary>
internal static class ApiCommandLine
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;

    /// <summary>Sends one request; prints the API's error messages as they are and returns null when it did not succeed.</summary>
    public static async Task<ApiResponse?> Call(ApiTarget target, HttpMethod method, string path, string? body, TextWriter errors, CancellationToken cancel)
    {
        using var client = new ApiClient(target);
        ApiResponse response;
        try
        {
            response = await client.SendAsync(method, path, body, cancel);
        }
        catch (ApiUnreachableException e)
        {
            errors.WriteLine(e.Message);
            return null;
        }
        if (response.IsSuccess)
            return response;
        foreach (string error in response.Errors())
            errors.WriteLine(error);
        return null;
    }

    /// <summary>Sends a change; prints "<paramref name="done"/>: table version N" and any warnings, or the reasons it was refused (exit 1).</summary>
    public static async Task<int> Change(ApiTarget target, HttpMethod method, string path, string? body, string done,
        TextWriter output, TextWriter errors, CancellationToken cancel)
    {
        if (await Call(target, method, path, body, errors, cancel) is not { } response)
            return Failure;
        ChangeReply reply = response.Read<ChangeReply>();
        string unchanged = reply.Changed == false ? " (unchanged)" : "";
        output.WriteLine($"{done}: table version {reply.Version}{unchanged}");
        foreach (string warning in reply.Warnings)
            errors.WriteLine($"warning: {warning}");
        return Success;
    }
}
