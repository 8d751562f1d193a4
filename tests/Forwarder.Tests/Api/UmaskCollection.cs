namespace Forwarder.Tests.Api;

/// <summary>Tests that change the process-wide umask: they run when no other test does.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class UmaskCollection
{
    public const string Name = "umask";
}
