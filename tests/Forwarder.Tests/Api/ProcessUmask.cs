using System.Runtime.InteropServices;

namespace Forwarder.Tests.Api;

/// <summary>Sets the process's umask for a scope (process-wide: tests using it run alone, see <see cref="UmaskCollection"/>).</summary>
internal sealed partial class ProcessUmask : IDisposable
{
    private readonly uint _previous;

    private ProcessUmask(uint mask) => _previous = Umask(mask);

    public static ProcessUmask Set(uint mask) => new(mask);

    public void Dispose() => Umask(_previous);

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint Umask(uint mask);
}
