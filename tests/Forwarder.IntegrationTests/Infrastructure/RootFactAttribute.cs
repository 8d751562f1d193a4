namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>A fact that needs root: skipped without it, unless CI=true (then it runs and fails).</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (RootGuard.SkipReason is { } reason)
            Skip = reason;
    }
}
