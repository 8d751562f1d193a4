using System.CommandLine;
using Forwarder.Api;

namespace Forwarder.Cli;

/// <summary>The options of every command that talks to a running forwarder: <c>--api</c> and <c>--api-token-file</c>.</summary>
internal sealed class ApiOptions
{
    public Option<string> Address { get; } = new("--api")
    {
        Description = "Where the forwarder's control API listens: ADDRESS:PORT or unix:PATH, as given to forwarder run --api",
        DefaultValueFactory = _ => ApiAddress.DefaultText,
    };

    public Option<string?> TokenFile { get; } = new("--api-token-file")
    {
        Description = "File holding the API's token, as given to forwarder run --api-token-file (sent as Authorization: Bearer TOKEN)",
    };

    /// <summary>The address and token given, or null after printing why they are not usable.</summary>
    public ApiTarget? Target(ParseResult parse, TextWriter errors)
    {
        try
        {
            ApiToken? token = parse.GetValue(TokenFile) is { } file ? ApiToken.ReadFile(file) : null;
            if (ApiAddress.Parse(parse.GetValue(Address)!) is { } address)
                return new ApiTarget(address, token);
            errors.WriteLine("forwarder: --api none: give the address the forwarder's API listens on");
        }
        catch (FormatException e)
        {
            errors.WriteLine($"forwarder: {e.Message}");
        }
        return null;
    }
}
