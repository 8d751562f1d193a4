using System.Runtime.InteropServices;

namespace Forwarder.Interop;

/// <summary>The kernel's clock that process start times are read against (start-up phase timing only).</summary>
internal static unsafe partial class Posix
{
    /// <summary>Monotonic, counting suspend too: the clock /proc/PID/stat's start time is taken from.</summary>
    public const int CLOCK_BOOTTIME = 7;

    [LibraryImport(Library, EntryPoint = "clock_gettime", SetLastError = true)]
    public static partial int ClockGettime(int clock, TimeSpec* time);

    [StructLayout(LayoutKind.Sequential)]
    public struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>CLOCK_BOOTTIME now, in nanoseconds.</summary>
    public static long BootTimeNanoseconds()
    {
        TimeSpec now;
        return ClockGettime(CLOCK_BOOTTIME, &now) == 0 ? now.Seconds * 1_000_000_000 + now.Nanoseconds : 0;
    }
}
