using System.Collections.Immutable;
using System.Net;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>
/// What one frame adds to the load balancer's counters: per VIP index and per backend address (packets
/// and bytes as received; a nat backend's replies apart), and the answers the forwarder gives itself. Anything not listed stays as it was.
/// </summary>
internal sealed record CounterDeltas
{
    public static readonly CounterDeltas None = new();

    public ImmutableDictionary<int, Traffic> Vips { get; init; } = ImmutableDictionary<int, Traffic>.Empty;

    public ImmutableDictionary<IPAddress, Traffic> Backends { get; init; } = ImmutableDictionary<IPAddress, Traffic>.Empty;

    /// <summary>Replies of nat backends rewritten back to the VIP, by backend address.</summary>
    public ImmutableDictionary<IPAddress, Traffic> BackendReplies { get; init; } = ImmutableDictionary<IPAddress, Traffic>.Empty;

    public long EchoReplies { get; init; }

    public long TooBigAnswered { get; init; }

    public long NatReplies { get; init; }

    /// <summary>One packet of <paramref name="bytes"/> forwarded for VIP <paramref name="vip"/> to <paramref name="backend"/>.</summary>
    public static CounterDeltas Forwarded(int vip, IPAddress backend, int bytes) => new()
    {
        Vips = ImmutableDictionary<int, Traffic>.Empty.Add(vip, new Traffic(1, bytes)),
        Backends = ImmutableDictionary<IPAddress, Traffic>.Empty.Add(backend, new Traffic(1, bytes)),
    };

    /// <summary>One reply of <paramref name="bytes"/> of nat backend <paramref name="backend"/> rewritten back to VIP <paramref name="vip"/>.</summary>
    public static CounterDeltas Replied(int vip, IPAddress backend, int bytes) => new()
    {
        Vips = ImmutableDictionary<int, Traffic>.Empty.Add(vip, new Traffic(1, bytes)),
        BackendReplies = ImmutableDictionary<IPAddress, Traffic>.Empty.Add(backend, new Traffic(1, bytes)),
        NatReplies = 1,
    };

    public static CounterDeltas Sum(IEnumerable<CounterDeltas> all)
    {
        var vips = new Dictionary<int, Traffic>();
        var backends = new Dictionary<IPAddress, Traffic>();
        var replies = new Dictionary<IPAddress, Traffic>();
        long echo = 0, tooBig = 0, nat = 0;
        foreach (CounterDeltas d in all)
        {
            foreach (var (vip, traffic) in d.Vips)
                vips[vip] = vips.GetValueOrDefault(vip) + traffic;
            foreach (var (backend, traffic) in d.Backends)
                backends[backend] = backends.GetValueOrDefault(backend) + traffic;
            foreach (var (backend, traffic) in d.BackendReplies)
                replies[backend] = replies.GetValueOrDefault(backend) + traffic;
            echo += d.EchoReplies;
            tooBig += d.TooBigAnswered;
            nat += d.NatReplies;
        }
        return new CounterDeltas
        {
            Vips = vips.ToImmutableDictionary(),
            Backends = backends.ToImmutableDictionary(),
            BackendReplies = replies.ToImmutableDictionary(),
            EchoReplies = echo,
            TooBigAnswered = tooBig,
            NatReplies = nat,
        };
    }
}
