namespace Forwarder.Hosting.Upgrade;

/// <summary>
/// How a forwarder leaves once it handed its queues over: at once, with no teardown. Its descriptors close with it;
/// the successor holds its own copies, so the program stays attached, the sockets bound, the liveness device up, and
/// nothing the successor uses is detached, deleted or withdrawn (a normal stop would do all of that).
/// </summary>
public static class UpgradeExit
{
    public static void Now(int successorPid)
    {
        try
        {
            Console.Out.WriteLine($"UPGRADED pid={successorPid}");
            Console.Out.Flush();
            Console.Error.Flush();
        }
        catch (IOException)
        {
        }
        Forwarder.Interop.Posix.Exit(0);
    }
}
