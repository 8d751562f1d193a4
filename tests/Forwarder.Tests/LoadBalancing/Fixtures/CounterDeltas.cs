using System.Collections.Immutable;
using System.Net;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>
/// What one frame adds to the load balancer's counters: per VIP index and per backend address (packets
/// and bytes as received), and the answers the forwarder gives itself. Anything not listed stays as it was.
/// </summary>
internal sealed record CounterDeltas
{
    public static readonly CounterDeltas None = new();

    public ImmutableDictionary<int, Traffic> Vips { get; init; } = ImmutableDictionary<int, Traffic>.Empty;

    public ImmutableDictionary<IPAddress, Traffic> Backends { get; init; } = ImmutableDictionary<IPAddress, Traffic>.Empty;

    public long EchoReplies { get; init; }

    public long TooBigAnswered { get; init; }

    public long NatReplies { get; init; }

    /// <summary>One packet of <paramref name="bytes"/> forwarded for VIP <paramref name="vip"/> to (or, for a nat reply, from) <paramref name="backend"/>.</summary>
    public static CounterDeltas Forwarded(int vip, IPAddress backend, int bytes) => new()
    {
        Vips = ImmutableDictionary<int, Traffic>.Empty.Add(vip, new Traffic(1, bytes)),
        Backends = ImmutableDictionary<IPAddress, Traffic>.Empty.Add(backend, new Traffic(1, bytes)),
    };

    public static CounterDeltas Sum(IEnumerable<CounterDeltas> all)
    {
        var vips = new Dictionary<int, Traffic>();
        var backends = new Dictionary<IPAddress, Traffic>();
        long echo = 0, tooBig = 0, nat = 0;
        foreach (CounterDeltas d in all)
        {
            foreach (var (vip, traffic) in d.Vips)
                vips[vip] = vips.GetValueOrDefault(vip) + traffic;
            foreach (var (backend, traffic) in d.Backends)
                backends[backend] = backends.GetValueOrDefault(backend) + traffic;
            echo += d.EchoReplies;
            tooBig += d.TooBigAnswered;
            nat += d.NatReplies;
        }
        return new CounterDeltas
        {
            Vips = vips.ToImmutableDictionary(),
            Backends = backends.ToImmutableDictionary(),
            EchoReplies = echo,
            TooBigAnswered = tooBig,
            NatReplies = nat,
        };
    }
}
