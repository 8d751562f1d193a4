namespace Forwarder.Api;

/// <summary>A request that cannot become a change (a body that is not a valid VIP, a backend listed twice...): answered 400 with every reason.</summary>
public sealed class InvalidRequestException(IReadOnlyList<string> errors) : ArgumentException(string.Join("; ", errors))
{
    public InvalidRequestException(string error) : this([error])
    {
    }

    public IReadOnlyList<string> Errors { get; } = errors;
}
