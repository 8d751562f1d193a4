using System.Globalization;
using AfXdp;

namespace Forwarder.Hosting.Privileges;

/// <summary>
/// What a privileged <c>forwarder run</c> set up and handed over to the process it exec'd, as descriptors
/// that stayed open across execve: the interface's lock, per queue the AF_XDP socket libxdp created and bound
/// with its UMEM registered (and the UMEM's memory), the loaded XDP program and its maps, and the program of a
/// killed instance still attached (to replace it without CAP_SYS_ADMIN), and the liveness device's TUN descriptor. Named in one environment variable,
/// which the successor removes. An upgrade hands the same over from a running forwarder to a new process, with the
/// socket its hand-over talks on (<see cref="UpgradeFd"/>): the queues are then another process's until it hands them over.
/// </summary>
public sealed record InheritedSetup(
    int LockFd, IReadOnlyList<XskHandOver> Queues, int ProgramFd, IReadOnlyDictionary<string, int> MapFds, int AttachedProgramFd = -1, int LivenessFd = -1)
{
    /// <summary>The upgrade's hand-over socket to the running predecessor (<c>upgrade:FD</c>); -1 when this is no upgrade.</summary>
    public int UpgradeFd { get; init; } = -1;

    /// <summary>Each worker's connection table (<c>table:FD</c>, in worker order), handed over by an upgrade's predecessor; empty otherwise.</summary>
    public IReadOnlyList<int> TableFds { get; init; } = [];

    /// <summary>The control API's listening socket (<c>api:FD</c>), handed over by an upgrade's predecessor; -1 otherwise.</summary>
    public int ApiFd { get; init; } = -1;

    /// <summary>True when a running predecessor is handing its queues over (an upgrade): the workers wait for its free frames.</summary>
    public bool IsUpgrade => UpgradeFd >= 0;

    public const string EnvironmentVariable = "FORWARDER_INHERITED_FDS";

    /// <summary>True in a process exec'd by a privileged predecessor (before <see cref="TakeFromEnvironment"/>).</summary>
    public static bool IsPresent => Environment.GetEnvironmentVariable(EnvironmentVariable) is not null;

    /// <summary><c>lock:FD,queue:SOCKET:MEMORY[:huge],...,program:FD,map:NAME:FD,...[,attached:FD][,liveness:FD]</c>.</summary>
    public string Format()
    {
        var items = new List<string> { $"lock:{LockFd}" };
        items.AddRange(Queues.Select(q => $"queue:{q.SocketFd}:{q.MemoryFd}{(q.HugePages ? ":huge" : "")}"));
        items.Add($"program:{ProgramFd}");
        items.AddRange(MapFds.Select(m => $"map:{m.Key}:{m.Value}"));
        if (AttachedProgramFd >= 0)
            items.Add($"attached:{AttachedProgramFd}");
        if (LivenessFd >= 0)
            items.Add($"liveness:{LivenessFd}");
        if (UpgradeFd >= 0)
            items.Add($"upgrade:{UpgradeFd}");
        items.AddRange(TableFds.Select(fd => $"table:{fd}"));
        if (ApiFd >= 0)
            items.Add($"api:{ApiFd}");
        return string.Join(',', items);
    }

    public static InheritedSetup Parse(string text)
    {
        var queues = new List<XskHandOver>();
        var maps = new Dictionary<string, int>(StringComparer.Ordinal);
        int interfaceLock = -1, program = -1, attached = -1, liveness = -1, upgrade = -1, api = -1;
        var tables = new List<int>();
        foreach (string item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] parts = item.Split(':');
            switch (parts)
            {
                case ["lock", var fd] when interfaceLock < 0:
                    interfaceLock = Fd(fd, item);
                    break;
                case ["queue", var socket, var memory]:
                    queues.Add(new XskHandOver(Fd(socket, item), Fd(memory, item), HugePages: false));
                    break;
                case ["queue", var socket, var memory, "huge"]:
                    queues.Add(new XskHandOver(Fd(socket, item), Fd(memory, item), HugePages: true));
                    break;
                case ["program", var fd] when program < 0:
                    program = Fd(fd, item);
                    break;
                case ["map", { Length: > 0 } name, var fd] when !maps.ContainsKey(name):
                    maps[name] = Fd(fd, item);
                    break;
                case ["attached", var fd] when attached < 0:
                    attached = Fd(fd, item);
                    break;
                case ["liveness", var fd] when liveness < 0:
                    liveness = Fd(fd, item);
                    break;
                case ["upgrade", var fd] when upgrade < 0:
                    upgrade = Fd(fd, item);
                    break;
                case ["api", var fd] when api < 0:
                    api = Fd(fd, item);
                    break;
                case ["table", var fd]:
                    tables.Add(Fd(fd, item));
                    break;
                default:
                    throw new FormatException($"{EnvironmentVariable}: '{item}' is not an inherited descriptor");
            }
        }
        if (interfaceLock < 0 || queues.Count == 0 || program < 0)
            throw new FormatException($"{EnvironmentVariable} '{text}' names no lock, no queue or no program");
        return new InheritedSetup(interfaceLock, queues, program, maps, attached, liveness) { UpgradeFd = upgrade, TableFds = tables, ApiFd = api };
    }

    /// <summary>
    /// The set-up this process inherited, or null when it was not exec'd by a privileged predecessor. Removes the
    /// variable from the environment, checks the sockets are AF_XDP sockets, and marks every descriptor
    /// close-on-exec so that nothing this process starts inherits it in turn.
    /// </summary>
    public static InheritedSetup? TakeFromEnvironment()
    {
        string? text = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (text is null)
            return null;
        Environment.SetEnvironmentVariable(EnvironmentVariable, null);
        Forwarder.Interop.Posix.Unsetenv(EnvironmentVariable);
        InheritedSetup setup = Parse(text);
        foreach (XskHandOver queue in setup.Queues)
        {
            if (!XskSocketFd.IsXdpSocket(queue.SocketFd))
                throw new InvalidOperationException($"{EnvironmentVariable}: fd {queue.SocketFd} is not an AF_XDP socket; start the forwarder without {EnvironmentVariable}");
        }
        foreach (int fd in setup.Descriptors())
            XskSocketFd.CloseOnExec(fd);
        return setup;
    }

    /// <summary>Every descriptor named.</summary>
    /// <remarks>Built by hand: a chain of LINQ over <c>int</c> is generic code no ReadyToRun image holds, JIT-compiled in both images of every start.</remarks>
    public List<int> Descriptors()
    {
        var all = new List<int> { LockFd };
        foreach (XskHandOver queue in Queues)
        {
            all.Add(queue.SocketFd);
            all.Add(queue.MemoryFd);
        }
        all.Add(ProgramFd);
        foreach (int map in MapFds.Values)
            all.Add(map);
        foreach (int fd in (ReadOnlySpan<int>)[AttachedProgramFd, LivenessFd, UpgradeFd])
        {
            if (fd >= 0)
                all.Add(fd);
        }
        all.AddRange(TableFds);
        if (ApiFd >= 0)
            all.Add(ApiFd);
        return all;
    }

    private static int Fd(string text, string item) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int fd) && fd >= 0
            ? fd
            : throw new FormatException($"{EnvironmentVariable}: '{item}': '{text}' is not a descriptor number");
}
