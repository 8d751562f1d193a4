using System.Diagnostics;
using System.Globalization;
using Forwarder.IntegrationTests.Infrastructure;

namespace Forwarder.IntegrationTests.Cluster;

/// <summary>
/// `ip -ts monitor route` in a namespace (the router): every route change with the kernel's timestamp,
/// so a withdraw is timed where it takes effect, without a polling loop's error. Stopped on dispose.
/// </summary>
public sealed class RouteMonitor : IDisposable
{
    private readonly Process _process;
    private readonly List<RouteChange> _changes = [];

    private RouteMonitor(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
    }

    /// <summary>Starts the monitor and waits until it runs (its first change would otherwise be missed).</summary>
    public static RouteMonitor Start(NetworkNamespace ns)
    {
        var info = new ProcessStartInfo(HostCommand.Resolve("ip"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])["-n", ns.Name, "-ts", "monitor", "route"])
            info.ArgumentList.Add(argument);
        var monitor = new RouteMonitor(new Process { StartInfo = info });
        // ip opens its netlink socket at once; a short pause covers the exec.
        Thread.Sleep(200);
        return monitor;
    }

    /// <summary>One change: when the kernel reported it and its text (continuation lines joined by a space).</summary>
    public sealed record RouteChange(DateTime At, string Text)
    {
        public bool Deleted => Text.StartsWith("Deleted ", StringComparison.Ordinal);

        public bool IsFor(System.Net.IPAddress destination)
        {
            string route = Deleted ? Text["Deleted ".Length..] : Text;
            return route.StartsWith($"{destination} ", StringComparison.Ordinal) || route.StartsWith($"{destination}/", StringComparison.Ordinal);
        }
    }

    public IReadOnlyList<RouteChange> Changes
    {
        get { lock (_changes) return [.. _changes]; }
    }

    /// <summary>
    /// The first change at or after <paramref name="after"/> that installs a route to DESTINATION which no
    /// longer goes through NEXTHOP (or deletes it), or null.
    /// </summary>
    public RouteChange? FirstWithout(System.Net.IPAddress destination, System.Net.IPAddress nextHop, DateTime after) =>
        Changes.FirstOrDefault(c => c.At >= after && c.IsFor(destination) && (c.Deleted || !c.Text.Contains($"via {nextHop} ", StringComparison.Ordinal)));

    private void OnLine(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
            return;
        lock (_changes)
        {
            // Continuation lines (nexthops of a multipath route) start with white space.
            if (char.IsWhiteSpace(line[0]) && _changes.Count > 0)
            {
                RouteChange last = _changes[^1];
                _changes[^1] = last with { Text = $"{last.Text} {line.Trim()} " };
                return;
            }
            int close = line.IndexOf(']', StringComparison.Ordinal);
            if (!line.StartsWith('[') || close < 0
                || !DateTime.TryParseExact(line[1..close], "yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out DateTime at))
                return;
            _changes.Add(new RouteChange(at, line[(close + 1)..].Trim() + " "));
        }
    }

    public string Describe() =>
        string.Join('\n', Changes.Select(c => $"{c.At:HH:mm:ss.ffffff} {c.Text}"));

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill();
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
