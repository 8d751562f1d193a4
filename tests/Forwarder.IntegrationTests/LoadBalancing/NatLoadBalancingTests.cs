using Xunit.Abstractions;

namespace Forwarder.IntegrationTests.LoadBalancing;

/// <summary>nat: the forwarder rewrites the destination to the backend, and the source of its replies back to the VIP.</summary>
public sealed class NatLoadBalancingTests(ITestOutputHelper output) : LoadBalancingTests(LoadBalancingMode.Nat, output);
