namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>The XDP program's counters in the forwarder's FINAL report.</summary>
public sealed record XdpCounters(long Seen, long Redirected, long Passed, long Malformed, long NoSocket, long HostPassed = 0);
