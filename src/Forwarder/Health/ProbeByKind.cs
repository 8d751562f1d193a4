using Forwarder.Configuration;

namespace Forwarder.Health;

/// <summary>The probe each target's check asks for: <see cref="TcpProbe"/> or <see cref="HttpProbe"/>.</summary>
/// <param name="marks">The marks of <c>via: vip</c> probes; without them such probes fail, saying why.</param>
public sealed class ProbeByKind(TimeProvider? timeProvider = null, IProbeMarks? marks = null) : IHealthProbe
{
    private readonly TcpProbe _tcp = new(timeProvider, marks);
    private readonly HttpProbe _http = new(timeProvider, marks);

    public ValueTask<ProbeResult> ProbeAsync(HealthTarget target, CancellationToken cancellationToken) =>
        target.Check.Kind == HealthCheckKind.Http
            ? _http.ProbeAsync(target, cancellationToken)
            : _tcp.ProbeAsync(target, cancellationToken);
}
