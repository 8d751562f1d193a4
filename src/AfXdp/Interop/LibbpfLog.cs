using System.Runtime.InteropServices;
using System.Text;

namespace AfXdp.Interop;

/// <summary>
/// Routes libbpf's printf-style diagnostics into a small buffer instead of stderr, so a load failure
/// (e.g. the verifier's log) can be put into the exception that reports it.
/// </summary>
internal static unsafe class LibbpfLog
{
    private static readonly Queue<string> Recent = new();
    private static int _installed;

    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 0)
            LibBpf.LibbpfSetPrint(&Print);
    }

    public static string LastMessages()
    {
        lock (Recent)
            return string.Join("", Recent).Trim();
    }

    [UnmanagedCallersOnly]
    private static int Print(int level, byte* format, nint args)
    {
        // va_list cannot be formatted portably from managed code: vsnprintf does it.
        byte* buffer = stackalloc byte[1024];
        int n = VsnPrintf(buffer, 1024, format, args);
        if (n <= 0)
            return 0;
        string text = Encoding.UTF8.GetString(buffer, Math.Min(n, 1023));
        lock (Recent)
        {
            Recent.Enqueue(text);
            while (Recent.Count > 40)
                Recent.Dequeue();
        }
        if (level == 0 && Environment.GetEnvironmentVariable("AFXDP_LIBBPF_WARNINGS") == "1")
            Console.Error.Write("libbpf: " + text);
        return 0;
    }

    [DllImport("libc", EntryPoint = "vsnprintf")]
    private static extern int VsnPrintf(byte* buffer, nuint size, byte* format, nint args);
}
