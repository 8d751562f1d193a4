using Forwarder.Configuration;

namespace Forwarder.Health;

/// <summary>The probe each target's check asks for: <see cref="TcpProbe"/> or <see cref="HttpProbe"/>.</summary>
public sealed class ProbeByKind(TimeProvider? timeProvider = null) : IHealthProbe
{
    private readonly TcpProbe _tcp = new(timeProvider);
    private readonly HttpProbe _http = new(timeProvider);

    public ValueTask<ProbeResult> ProbeAsync(HealthTarget target, CancellationToken cancellationToken) =>
        target.Check.Kind == HealthCheckKind.Http
            ? _http.ProbeAsync(target, cancellationToken)
            : _tcp.ProbeAsync(target, cancellationToken);
}
