using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Forwarder.Hosting.Privileges;
using Forwarder.Interop;

namespace Forwarder.Hosting.Upgrade;

/// <summary>
/// Starts an upgrade's successor: the given binary (default: the one running) with this process's own arguments, holding
/// copies of everything the running forwarder holds (<see cref="ForwarderHost.DescribeForSuccessor"/>) that stay open
/// across its execve, named in <see cref="InheritedSetup.EnvironmentVariable"/>, and the running configuration
/// (<see cref="UpgradeConfig"/>). The copies are closed here once it started: the successor's are its own.
/// </summary>
public static class UpgradeLauncher
{
    /// <summary>The executable and arguments of the successor; throws <see cref="ArgumentException"/> naming a binary that cannot be started.</summary>
    public static (string Executable, IReadOnlyList<string> Arguments) CommandLine(string? binary)
    {
        List<string> original = ReExec.Split(File.ReadAllBytes("/proc/self/cmdline")).Select(b => Encoding.UTF8.GetString(b)).ToList();
        int programArguments = Environment.GetCommandLineArgs().Length - 1; // what follows the host and the application
        List<string> own = original.Skip(Math.Max(0, original.Count - programArguments)).ToList();
        List<string> host = original.Take(original.Count - own.Count).ToList(); // [forwarder] or [dotnet, forwarder.dll]
        if (binary is null)
            return (ProcessName.Executable(), [.. host.Skip(1), .. own]);
        string path = Path.GetFullPath(binary);
        if (Directory.Exists(path))
            throw new ArgumentException($"--binary {binary} is a directory: give the forwarder executable (or its forwarder.dll)");
        if (!File.Exists(path))
            throw new ArgumentException($"--binary {binary}: no such file: give the path of the new forwarder executable (or its forwarder.dll)");
        if (path.EndsWith(".dll", StringComparison.Ordinal))
            return (host.Count == 2 ? ProcessName.Executable() : "dotnet", [path, .. own]);
        if ((File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
            throw new ArgumentException($"--binary {binary} is not executable: chmod +x it (or give its forwarder.dll)");
        return (path, own);
    }

    /// <summary>Starts the successor with <paramref name="held"/> and its end of the hand-over socket; returns its process.</summary>
    /// <param name="healthMarks">The health checks' marks (<see cref="HandedOverHealth"/>); null without checks.</param>
    /// <param name="cpus">The CPUs this process may use, for the successor to check its workers' cores against (<see cref="StartupIsolation.EnvironmentVariable"/>): it starts off some of them.</param>
    public static Process Start(string executable, IReadOnlyList<string> arguments, InheritedSetup held, int channelFd, int configFd, string? healthMarks = null,
        IReadOnlyList<int>? cpus = null)
    {
        var copies = new List<int>();
        int Inheritable(int fd)
        {
            int copy = Posix.Fcntl(fd, Posix.F_DUPFD, 3);
            if (copy < 0)
                throw new IOException($"fcntl(F_DUPFD) of fd {fd}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            copies.Add(copy);
            return copy;
        }
        try
        {
            var handed = new InheritedSetup(
                Inheritable(held.LockFd),
                held.Queues.Select(q => new AfXdp.XskHandOver(Inheritable(q.SocketFd), Inheritable(q.MemoryFd), q.HugePages)).ToArray(),
                Inheritable(held.ProgramFd),
                held.MapFds.ToDictionary(m => m.Key, m => Inheritable(m.Value)),
                held.AttachedProgramFd >= 0 ? Inheritable(held.AttachedProgramFd) : -1,
                held.LivenessFd >= 0 ? Inheritable(held.LivenessFd) : -1)
            {
                UpgradeFd = Inheritable(channelFd),
                TableFds = held.TableFds.Select(Inheritable).ToArray(),
                ApiFd = held.ApiFd >= 0 ? Inheritable(held.ApiFd) : -1,
            };
            var start = new ProcessStartInfo(executable) { UseShellExecute = false };
            foreach (string argument in arguments)
                start.ArgumentList.Add(argument);
            start.Environment[InheritedSetup.EnvironmentVariable] = handed.Format();
            if (configFd >= 0) // plain L2 forwarding has no configuration
                start.Environment[UpgradeConfig.EnvironmentVariable] = Inheritable(configFd).ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment[ProcessName.EnvironmentVariable] = ProcessName.Current;
            if (healthMarks is not null)
                start.Environment[HandedOverHealth.EnvironmentVariable] = healthMarks;
            if (cpus is { Count: > 0 })
                start.Environment[StartupIsolation.EnvironmentVariable] = string.Join(',', cpus);
            return Process.Start(start) ?? throw new IOException($"{executable} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ArgumentException($"{executable} cannot be started: {e.Message}");
        }
        finally
        {
            foreach (int copy in copies)
                Posix.Close(copy);
        }
    }
}
