using System.CommandLine;
using Forwarder.Api;

namespace Forwarder.Cli;

/// <summary>What the commands that talk to a running forwarder share: the <c>--api</c> option, exit codes, how answers are printed.</summary>
internal static class ApiCommandLine
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;

    public static Option<string> ApiOption() => new("--api")
    {
        Description = "Where the forwarder's control API listens: ADDRESS:PORT or unix:PATH, as given to forwarder run --api",
        DefaultValueFactory = _ => ApiAddress.DefaultText,
    };

    /// <summary>The address given, or null after printing why it is not one.</summary>
    public static ApiAddress? Address(ParseResult parse, Option<string> api, TextWriter errors)
    {
        try
        {
            if (ApiAddress.Parse(parse.GetValue(api)!) is { } address)
                return address;
            errors.WriteLine("forwarder: --api none: give the address the forwarder's API listens on");
        }
        catch (FormatException e)
        {
            errors.WriteLine($"forwarder: {e.Message}");
        }
        return null;
    }

    /// <summary>Sends one request; prints the API's error messages as they are and returns null when it did not succeed.</summary>
    public static async Task<ApiResponse?> Call(ApiAddress address, HttpMethod method, string path, string? body, TextWriter errors, CancellationToken cancel)
    {
        using var client = new ApiClient(address);
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
    public static async Task<int> Change(ApiAddress address, HttpMethod method, string path, string? body, string done,
        TextWriter output, TextWriter errors, CancellationToken cancel)
    {
        if (await Call(address, method, path, body, errors, cancel) is not { } response)
            return Failure;
        ChangeReply reply = response.Read<ChangeReply>();
        string unchanged = reply.Changed == false ? " (unchanged)" : "";
        output.WriteLine($"{done}: table version {reply.Version}{unchanged}");
        foreach (string warning in reply.Warnings)
            errors.WriteLine($"warning: {warning}");
        return Success;
    }
}
