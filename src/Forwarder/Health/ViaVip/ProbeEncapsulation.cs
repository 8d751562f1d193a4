namespace Forwarder.Health.ViaVip;

/// <summary>How bpf/healthcheck.c sends a probe packet (<c>enum probe_mode</c>).</summary>
public enum ProbeEncapsulation : byte
{
    Ipip = 1,
    Gue = 2,
    DsrL2 = 3,
}
