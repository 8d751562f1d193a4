using System.Globalization;
using AfXdp;
using Forwarder.Api;
using Forwarder.Hosting.Privileges;
using Microsoft.Extensions.Logging;
using Forwarder.Steering;

namespace Forwarder.Hosting;

/// <summary>
/// What <c>forwarder run</c> does before it brings the data path up: take over what a privileged
/// predecessor handed over, check everything that must hold (all problems at once), and, unless told to
/// keep its capabilities, do the privileged part of set-up and exec itself holding only what it still
/// needs (<see cref="CapabilityPlan"/>, <see cref="PrivilegedSetUp"/>).
/// </summary>
public static class ForwarderStartup
{
    /// <returns>False when the start must stop; the problems were written to <paramref name="errors"/>.</returns>
    /// <param name="inherited">What a privileged predecessor set up, for <see cref="ForwarderHost.Start"/>; null when this process sets up everything itself.</param>
    public static bool Prepare(ForwarderOptions options, ApiAddress? api, bool keepCapabilities, ILogger log, TextWriter errors, out InheritedSetup? inherited)
    {
        inherited = null;
        try
        {
            ProcessName.RestoreFromEnvironment();
            StartupTimeline.RestoreFromEnvironment();
            inherited = InheritedSetup.TakeFromEnvironment();
            AttachedProgram? known = inherited is { AttachedProgramFd: >= 0 } handedOver ? XdpProgram.Describe(handedOver.AttachedProgramFd) : null;
            StartupFacts facts = StartupFacts.Gather(options, inherited is not null, known);
            IReadOnlyList<string> problems = StartupChecks.Check(options, facts);
            if (problems.Count > 0)
            {
                foreach (string problem in problems)
                    errors.WriteLine($"forwarder: {problem}");
                errors.WriteLine($"forwarder: nothing was started ({problems.Count} problem(s))");
                return false;
            }
            StartupTimeline.Mark(StartupPhase.Checked);
            if (inherited is not null)
                return true;
            CapabilityPlan plan = CapabilityPlan.Decide(facts.Capabilities, keepCapabilities, PrivilegedPort(api));
            if (plan.ReExec)
            {
                AttachedProgram? leftBehind = facts.Interface?.Attached is { Name: RedirectProgram.KernelName } own ? own : null;
                PrivilegedSetUp.HandOverAndReExec(options, plan.Keep, leftBehind); // returns only by throwing
            }
            if (plan.Warn)
                log.CapabilitiesNotDropped(plan.Keep.ToString(), plan.Why);
            else
                log.CapabilitiesKept(plan.Keep.ToString(), plan.Why);
            return true;
        }
        catch (Exception e) when (e is XdpException or InvalidOperationException or FormatException or FileNotFoundException or ArgumentException or IOException)
        {
            errors.WriteLine($"forwarder: {e.Message}");
            return false;
        }
    }

    /// <summary>The API's TCP port when binding it needs CAP_NET_BIND_SERVICE, else null.</summary>
    private static int? PrivilegedPort(ApiAddress? api)
    {
        if (api?.EndPoint is not { Port: > 0 } endPoint)
            return null;
        int start = 1024;
        try
        {
            start = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_unprivileged_port_start").Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
        }
        return endPoint.Port < start ? endPoint.Port : null;
    }
}
