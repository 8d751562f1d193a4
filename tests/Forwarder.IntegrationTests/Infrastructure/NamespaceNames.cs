namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>Prefixes unique to this test process and topology: fwt&lt;pid&gt;&lt;n&gt;.</summary>
public static class NamespaceNames
{
    private static int _counter;

    public static string NextPrefix() => $"fwt{Environment.ProcessId}{Interlocked.Increment(ref _counter)}";
}
