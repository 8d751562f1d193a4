namespace Forwarder.Configuration;

/// <summary>How a backend is probed.</summary>
public enum HealthCheckKind
{
    /// <summary>A TCP connection is opened and closed.</summary>
    Tcp,

    /// <summary>An HTTP GET must answer with a 2xx status.</summary>
    Http,
}
