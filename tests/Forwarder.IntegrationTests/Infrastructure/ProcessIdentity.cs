using System.Text;

namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>How tools see a process: its name (/proc/PID/comm, what ps, pidof and ss show) and argv[0] (/proc/PID/cmdline).</summary>
public sealed record ProcessIdentity(string Name, string Argv0)
{
    /// <summary>The kernel keeps at most 15 bytes of a process name.</summary>
    private const int MaxNameBytes = 15;

    public static ProcessIdentity Of(int pid)
    {
        string name = File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n');
        byte[] cmdline = File.ReadAllBytes($"/proc/{pid}/cmdline");
        int end = Array.IndexOf(cmdline, (byte)0);
        return new ProcessIdentity(name, Encoding.UTF8.GetString(cmdline, 0, end < 0 ? cmdline.Length : end));
    }

    /// <summary>The identity the kernel gives a process exec'd from <paramref name="path"/> with that path as argv[0].</summary>
    public static ProcessIdentity ExecutedFrom(string path)
    {
        string name = Path.GetFileName(path);
        while (Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
            name = name[..^1];
        return new ProcessIdentity(name, path);
    }
}
