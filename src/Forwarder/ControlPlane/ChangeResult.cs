namespace Forwarder.ControlPlane;

/// <summary>The answer to a configuration change: applied (with the new table version) or refused with every reason.</summary>
public sealed record ChangeResult(bool Applied, long Version, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)
{
    public static ChangeResult Refused(long version, params string[] errors) => new(false, version, errors, []);
}
