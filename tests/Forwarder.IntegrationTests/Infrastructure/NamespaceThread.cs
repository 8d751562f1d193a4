namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>
/// Runs code on a dedicated thread that has entered a network namespace. The thread ends with the
/// code and is never reused, so no other code runs in the namespace by accident. Sockets created
/// there stay in that namespace for their whole life, whichever thread uses them later.
/// </summary>
public static class NamespaceThread
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static T Run<T>(string namespacePath, Func<T> action)
    {
        T? result = default;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                Enter(namespacePath);
                result = action();
            }
            catch (Exception e)
            {
                error = e;
            }
        })
        {
            IsBackground = true,
            Name = $"netns {Path.GetFileName(namespacePath)}",
        };
        thread.Start();
        if (!thread.Join(Timeout))
            throw new TimeoutException($"code in {namespacePath} did not finish within {Timeout.TotalSeconds:0} s");
        if (error is not null)
            throw new InvalidOperationException($"failed inside {namespacePath}: {error.Message}", error);
        return result!;
    }

    private static void Enter(string namespacePath)
    {
        int fd = LibC.Open(namespacePath, LibC.O_RDONLY | LibC.O_CLOEXEC);
        if (fd < 0)
            throw new IOException($"open {namespacePath}: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        try
        {
            if (LibC.SetNs(fd, LibC.CLONE_NEWNET) != 0)
                throw new IOException($"setns {namespacePath}: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }
        finally
        {
            LibC.Close(fd);
        }
    }
}
