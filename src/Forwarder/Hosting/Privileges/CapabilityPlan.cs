namespace Forwarder.Hosting.Privileges;

/// <summary>
/// Whether the forwarder drops capabilities before serving and what it keeps, decided from its calling
/// thread's sets. Dropping means: set up what needs privileges, shrink the bounding set to
/// <see cref="Keep"/> (CAP_SETPCAP) and exec itself, so that every thread of the new image holds only that.
/// </summary>
public sealed record CapabilityPlan(bool ReExec, CapabilitySet Keep, string Why, bool Warn)
{
    /// <param name="current">The calling thread's capability sets.</param>
    /// <param name="keepRequested"><c>--keep-capabilities</c>.</param>
    /// <param name="privilegedApiPort">The API's TCP port when it is below net.ipv4.ip_unprivileged_port_start; null otherwise.</param>
    public static CapabilityPlan Decide(ProcessCapabilities current, bool keepRequested, int? privilegedApiPort)
    {
        if (keepRequested)
            return new CapabilityPlan(false, current.Effective, "--keep-capabilities", Warn: false);
        CapabilitySet wanted = PrivilegeNeeds.Running;
        var reasons = new List<string> { "CAP_BPF for map updates and counters", "CAP_NET_ADMIN to detach at shutdown and for via: vip health checks (their tc program, SO_MARK)" };
        if (privilegedApiPort is { } port)
        {
            // The API starts listening after set-up, so binding a port below the unprivileged range needs it then.
            wanted = wanted.With(Capability.NetBindService);
            reasons.Add($"CAP_NET_BIND_SERVICE for the API's port {port}");
        }
        if (!current.Effective.Contains(Capability.SetPcap))
        {
            return current.Bounding.IsSubsetOf(PrivilegeNeeds.SetUpAtMost.Union(wanted))
                ? new CapabilityPlan(false, current.Effective,
                    "without CAP_SETPCAP it cannot shrink its bounding set, which already holds no more than set-up needs", Warn: false)
                : new CapabilityPlan(false, current.Effective,
                    "without CAP_SETPCAP it cannot drop them after set-up: grant CAP_SETPCAP as well, or bound the set (systemd CapabilityBoundingSet=, see docs/forwarder.service)",
                    Warn: true);
        }
        return new CapabilityPlan(true, wanted.Intersect(current.Permitted), string.Join("; ", reasons), Warn: false);
    }
}
