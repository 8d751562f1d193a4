using System.Runtime.Versioning;
using Forwarder.Liveness;

namespace Forwarder.Tests.Liveness;

/// <summary>Stands in for the liveness device: records every switch, and refuses while <see cref="Refuse"/> is set.</summary>
[SupportedOSPlatform("linux")]
internal sealed class FakeSwitch : ILivenessSwitch
{
    public string Name => "fwd0";

    public List<bool> Switches { get; } = [];

    public bool Refuse { get; set; }

    public bool? IsUp => Switches.Count == 0 ? null : Switches[^1];

    public void Set(bool up)
    {
        if (Refuse)
            throw new InvalidOperationException("liveness device fwd0: SIOCSIFFLAGS needs CAP_NET_ADMIN");
        Switches.Add(up);
    }
}
