using System.Runtime.CompilerServices;

namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>
/// These tests block thread-pool threads on purpose (a test sleeps and polls while it measures), and on
/// a 2-core machine the pool starts with 2 threads and adds one only every half second or so: socket
/// completions and the forwarder's output readers would then wait that long, and a timing check
/// (a gap between connections, a failover time) would measure the test process, not the forwarder.
/// </summary>
internal static class ThreadPoolFloor
{
    private const int Threads = 16;

    [ModuleInitializer]
    internal static void Raise()
    {
        ThreadPool.GetMinThreads(out int workers, out int completions);
        ThreadPool.SetMinThreads(Math.Max(workers, Threads), Math.Max(completions, Threads));
    }
}
