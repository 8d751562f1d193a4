using System.Runtime.InteropServices;

namespace Forwarder.Interop;

/// <summary>The libc calls that read and reset a signal's disposition and unblock signals in the calling thread.</summary>
internal static unsafe partial class Posix
{
    public const int SIG_UNBLOCK = 1;
    public static readonly nint SIG_DFL = 0;
    public static readonly nint SIG_IGN = 1;

    /// <summary>sigaction(SIG, NEW, OLD); either may be null.</summary>
    [LibraryImport(Library, EntryPoint = "sigaction", SetLastError = true)]
    public static partial int SigAction(int signal, SignalAction* action, SignalAction* previous);

    [LibraryImport(Library, EntryPoint = "pthread_sigmask")]
    public static partial int PthreadSigmask(int how, SignalSet* set, SignalSet* previous);

    /// <summary>glibc's <c>struct sigaction</c> (152 bytes on x86-64 and arm64).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SignalAction
    {
        public nint Handler;
        public SignalSet Mask;
        public int Flags;
        public nint Restorer;
    }

    /// <summary>glibc's <c>sigset_t</c>: 1,024 bits, signal N at bit N - 1.</summary>
    public struct SignalSet
    {
        private fixed ulong _bits[16];

        public void Add(int signal) => _bits[(signal - 1) / 64] |= 1UL << ((signal - 1) % 64);
    }
}
