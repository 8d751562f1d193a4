using Xunit.Abstractions;

namespace Forwarder.IntegrationTests.LoadBalancing;

/// <summary>dsr-l2: the forwarder only changes the destination MAC; backends answer the client directly.</summary>
public sealed class DsrL2LoadBalancingTests(ITestOutputHelper output) : LoadBalancingTests(LoadBalancingMode.DsrL2, output);
