using System.Runtime.Versioning;
using System.Net;
using Forwarder.Announce;
using Forwarder.Configuration;

namespace Forwarder.Tests.Announce;

/// <summary>The announce policy: hold-down, minimum of healthy backends, expected digests, and routes per address.</summary>
[SupportedOSPlatform("linux")]
public sealed class AnnouncedVipsTests
{
    private const string DigestA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string DigestB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    private static VipFacts Vip(string name, string address, int healthy, string digest = DigestA) => new(name, IPAddress.Parse(address), healthy, digest);

    private static readonly AnnounceConfig Policy = new() { HoldDown = TimeSpan.FromSeconds(2), MinHealthyBackends = 2 };

    [Fact]
    public void Nothing_is_announced_during_the_hold_down()
    {
        VipDecision decision = AnnouncedVips.Decide([Vip("10.100.0.1:80/tcp", "10.100.0.1", 3)], Policy, TimeSpan.FromSeconds(1.9)).Single();
        Assert.False(decision.Allowed);
        Assert.Contains("hold-down", decision.Reason, StringComparison.Ordinal);
        Assert.True(AnnouncedVips.Decide([Vip("10.100.0.1:80/tcp", "10.100.0.1", 3)], Policy, TimeSpan.FromSeconds(2)).Single().Allowed);
    }

    [Fact]
    public void A_vip_needs_the_minimum_of_healthy_backends()
    {
        IReadOnlyList<VipDecision> decisions = AnnouncedVips.Decide(
            [Vip("10.100.0.1:80/tcp", "10.100.0.1", 1), Vip("10.100.0.2:80/tcp", "10.100.0.2", 2), Vip("10.100.0.3:80/tcp", "10.100.0.3", 0)], Policy, TimeSpan.FromHours(1));
        Assert.Equal([false, true, false], decisions.Select(d => d.Allowed));
        Assert.Contains("1 healthy backend(s), fewer than min_healthy_backends 2", decisions[0].Reason, StringComparison.Ordinal);
        Assert.Equal([IPAddress.Parse("10.100.0.2")], AnnouncedVips.Addresses(decisions));
    }

    [Fact]
    public void A_vip_whose_digest_is_not_the_expected_one_is_not_announced()
    {
        AnnounceConfig policy = Policy with { ExpectedDigests = EquatableDictionary.Of([new("10.100.0.1:80/tcp", DigestA), new("10.100.0.2:80/tcp", DigestA)]) };
        IReadOnlyList<VipDecision> decisions = AnnouncedVips.Decide(
            [Vip("10.100.0.1:80/tcp", "10.100.0.1", 3, DigestA), Vip("10.100.0.2:80/tcp", "10.100.0.2", 3, DigestB), Vip("10.100.0.3:80/tcp", "10.100.0.3", 3, DigestB)],
            policy, TimeSpan.FromHours(1));
        Assert.Equal([true, false, true], decisions.Select(d => d.Allowed));
        Assert.Contains($"table digest {DigestB} is not the expected {DigestA}", decisions[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_address_is_announced_while_any_of_its_vips_may_be()
    {
        IReadOnlyList<VipDecision> decisions = AnnouncedVips.Decide(
            [Vip("10.100.0.1:80/tcp", "10.100.0.1", 0), Vip("10.100.0.1:443/tcp", "10.100.0.1", 2), Vip("[fd00::1]:80/tcp", "fd00::1", 2), Vip("[fd00::1]:443/tcp", "fd00::1", 2)],
            Policy, TimeSpan.FromHours(1));
        Assert.Equal([IPAddress.Parse("10.100.0.1"), IPAddress.Parse("fd00::1")], AnnouncedVips.Addresses(decisions));
    }
}
