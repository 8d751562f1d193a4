namespace Forwarder.Health;

/// <summary>The socket mark that sends a probe along its <see cref="ProbeRoute"/> (see bpf/healthcheck.c).</summary>
public interface IProbeMarks
{
    /// <summary>The mark of <paramref name="route"/>; null, with the reason in <paramref name="unavailable"/>, when its probes cannot be sent.</summary>
    uint? MarkOf(ProbeRoute route, out string unavailable);
}
