using System.Runtime.InteropServices;
using System.Text;
using AfXdp;
using Forwarder.Interop;

namespace Forwarder.Hosting.Privileges;

/// <summary>
/// Replaces this process with a fresh run of itself: the same executable (by its path, so that the process
/// keeps its name: <see cref="ProcessName"/>), the exact original arguments (/proc/self/cmdline, argv[0]
/// included) and environment (/proc/self/environ) plus one variable and the name. The pid, the network
/// namespace, the working directory, standard streams and descriptors without close-on-exec stay.
/// </summary>
public static unsafe class ReExec
{
    /// <summary>Returns only by throwing: when execve fails.</summary>
    public static void Run(string variable, string value) => Run([(variable, value)]);

    /// <summary>Returns only by throwing: when execve fails.</summary>
    /// <param name="variables">Set in the successor's environment (replacing any of the same name).</param>
    public static void Run((string Variable, string Value)[] variables)
    {
        // An array and plain loops: LINQ or interfaces over these value tuples are generic code no ReadyToRun image holds,
        // JIT-compiled just before the exec.
        List<byte[]> arguments = Split(File.ReadAllBytes("/proc/self/cmdline"));
        var added = new List<byte[]>(variables.Length + 1);
        for (int i = 0; i < variables.Length; i++)
            added.Add(Encoding.UTF8.GetBytes(variables[i].Variable + "=" + variables[i].Value));
        added.Add(Encoding.UTF8.GetBytes(ProcessName.EnvironmentVariable + "=" + ProcessName.Current));
        List<byte[]> environment = [];
        foreach (byte[] entry in Split(File.ReadAllBytes("/proc/self/environ")))
        {
            if (!SetAgain(entry, added))
                environment.Add(entry);
        }
        environment.AddRange(added);
        string executable = ProcessName.Executable();

        RemoveDiagnosticsSocket();
        Console.Out.Flush();
        Console.Error.Flush();
        byte** argv = ToNative(arguments);
        byte** envp = ToNative(environment);
        byte* path = ToNative(Encoding.UTF8.GetBytes(executable));
        Posix.Execve(path, argv, envp);
        throw XdpException.FromLastError("execve", $"{executable}; start with --keep-capabilities to run without dropping capabilities");
    }

    /// <summary>True when <paramref name="entry"/> (<c>NAME=VALUE</c>) sets a variable one of <paramref name="added"/> sets.</summary>
    private static bool SetAgain(byte[] entry, List<byte[]> added)
    {
        foreach (byte[] variable in added)
        {
            int name = variable.AsSpan().IndexOf((byte)'=') + 1; // the name with its '='
            if (entry.AsSpan().StartsWith(variable.AsSpan(0, name)))
                return true;
        }
        return false;
    }

    /// <summary>
    /// The runtime's diagnostics socket is named by pid and process start time, which exec keeps: its file must
    /// go, or the new runtime cannot listen there again (and dotnet-counters/dotnet-trace could not attach).
    /// </summary>
    private static void RemoveDiagnosticsSocket()
    {
        try
        {
            foreach (string socket in Directory.EnumerateFiles(Path.GetTempPath(), $"dotnet-diagnostic-{Environment.ProcessId}-*-socket"))
                File.Delete(socket);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The NUL-separated strings of a /proc file, each without its NUL.</summary>
    public static List<byte[]> Split(byte[] text)
    {
        var parts = new List<byte[]>();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == 0)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }
        if (start < text.Length)
            parts.Add(text[start..]);
        return parts;
    }

    /// <summary>A NULL-terminated array of NUL-terminated strings in native memory (never freed: execve replaces the process, or it fails and exits).</summary>
    private static byte** ToNative(List<byte[]> strings)
    {
        byte** array = (byte**)NativeMemory.AllocZeroed((nuint)(strings.Count + 1), (nuint)sizeof(byte*));
        for (int i = 0; i < strings.Count; i++)
            array[i] = ToNative(strings[i]);
        return array;
    }

    private static byte* ToNative(byte[] text)
    {
        byte* native = (byte*)NativeMemory.AllocZeroed((nuint)text.Length + 1);
        text.CopyTo(new Span<byte>(native, text.Length));
        return native;
    }
}
