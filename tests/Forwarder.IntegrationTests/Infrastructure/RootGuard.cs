namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>
/// Namespace tests need root. Outside CI they are skipped without it; with CI=true a missing
/// privilege is a failure, because a skipped namespace test would hide a broken build.
/// </summary>
public static class RootGuard
{
    public static bool IsRoot => Environment.IsPrivilegedProcess;

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string? SkipReason =>
        IsRoot || InCi ? null : "needs root to create network namespaces (set CI=true to fail instead of skipping)";

    /// <summary>Throws when not root: reached only when the test was not skipped, i.e. in CI.</summary>
    public static void Require()
    {
        if (!IsRoot)
            throw new InvalidOperationException(
                "Namespace integration tests need root; CI=true is set, so they fail instead of being skipped.");
    }
}
