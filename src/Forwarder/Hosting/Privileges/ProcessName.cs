using System.Text;

namespace Forwarder.Hosting.Privileges;

/// <summary>
/// The process's name (/proc/self/comm: what ps, top, pidof and ss show), kept across the capability re-exec.
/// The kernel names an exec'd process after the file it runs, so executing /proc/self/exe would name it
/// <c>exe</c>: <see cref="ReExec"/> runs the executable's resolved path instead (<c>forwarder</c> for the
/// apphost, <c>dotnet</c> for <c>dotnet forwarder.dll</c>) and hands the name over in an environment
/// variable, which the successor removes, restoring the name where the file's differs (started through a
/// symlink of another name, or an executable replaced on disk since).
/// </summary>
public static class ProcessName
{
    public const string EnvironmentVariable = "FORWARDER_PROCESS_NAME";

    private const string CommPath = "/proc/self/comm";
    private const string ExecutableLink = "/proc/self/exe";

    /// <summary>The kernel keeps at most this many bytes of a name (TASK_COMM_LEN less the NUL).</summary>
    public const int MaxBytes = 15;

    /// <summary>The process's name now (the main thread's).</summary>
    public static string Current => File.ReadAllText(CommPath).TrimEnd('\n');

    /// <summary>
    /// The running executable's path, to exec it under its own name; /proc/self/exe when the path cannot be read
    /// or no longer leads to it (deleted or replaced: the link then reads "PATH (deleted)").
    /// </summary>
    public static string Executable()
    {
        try
        {
            string? path = File.ResolveLinkTarget(ExecutableLink, returnFinalTarget: false)?.FullName;
            return path is not null && File.Exists(path) ? path : ExecutableLink;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ExecutableLink;
        }
    }

    /// <summary>In a process exec'd by <see cref="ReExec"/>: takes the name handed over out of the environment and takes it back if the exec changed it.</summary>
    public static void RestoreFromEnvironment()
    {
        string? name = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (name is null)
            return;
        Environment.SetEnvironmentVariable(EnvironmentVariable, null);
        Forwarder.Interop.Posix.Unsetenv(EnvironmentVariable);
        if (name.Length == 0 || Encoding.UTF8.GetByteCount(name) > MaxBytes || name.Contains('\n'))
            return; // not a name the kernel gave: leave the exec's
        try
        {
            if (Current != name)
                File.WriteAllText(CommPath, name); // names the thread group leader, whichever thread writes it
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Cosmetic: the process runs on under the executable's name.
        }
    }
}
