namespace Forwarder.DataPlane;

/// <summary>
/// What a quic VIP does with one packet's connection id (<see cref="QuicRouting.Decide"/>): the outcome under its
/// <see cref="QuicCounter"/> name — <see cref="QuicCounter.CidRouted"/>, or why Maglev decides instead
/// (<see cref="QuicCounter.Initial"/>, <see cref="QuicCounter.UnknownServerId"/>, <see cref="QuicCounter.RetiredServerId"/>,
/// <see cref="QuicCounter.MaglevRouted"/>: no server id) — and the backend id the id names (-1 unless routed).
/// </summary>
public readonly record struct QuicDecision(QuicCounter Outcome, int Backend)
{
    public bool Routed => Backend >= 0;
}
