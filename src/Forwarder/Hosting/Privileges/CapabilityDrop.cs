using AfXdp;
using Forwarder.Interop;

namespace Forwarder.Hosting.Privileges;

/// <summary>
/// Shrinks the calling thread's bounding, ambient and inheritable sets to a given set. Capabilities are per
/// thread: this changes only the calling thread, and takes effect for the whole process when that thread
/// then execs (<see cref="ReExec"/>), since an exec'd root process gets its bounding set (and inheritable
/// set) as its permitted and effective sets, on its only thread, and every thread it starts inherits them.
/// </summary>
public static unsafe class CapabilityDrop
{
    public static void To(CapabilitySet keep)
    {
        int last = LastCapability();
        for (int cap = 0; cap <= last; cap++)
        {
            if ((keep.Mask & (1UL << cap)) != 0)
                continue;
            if (Posix.Prctl(Posix.PR_CAPBSET_READ, (nuint)cap, 0, 0, 0) == 1 && Posix.Prctl(Posix.PR_CAPBSET_DROP, (nuint)cap, 0, 0, 0) != 0)
                throw XdpException.FromLastError("prctl(PR_CAPBSET_DROP)", CapabilitySet.NameOf(cap));
            Posix.Prctl(Posix.PR_CAP_AMBIENT, Posix.PR_CAP_AMBIENT_LOWER, (nuint)cap, 0, 0); // fails only for a capability the kernel does not know
        }
        var header = new Posix.CapUserHeader { Version = Posix.LINUX_CAPABILITY_VERSION_3 };
        Posix.CapUserData* data = stackalloc Posix.CapUserData[2];
        if (Posix.CapGet(&header, data) != 0)
            throw XdpException.FromLastError("capget");
        data[0].Inheritable &= (uint)keep.Mask;
        data[1].Inheritable &= (uint)(keep.Mask >> 32);
        if (Posix.CapSet(&header, data) != 0)
            throw XdpException.FromLastError("capset", "inheritable set");
    }

    private static int LastCapability()
    {
        try
        {
            return int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return 63;
        }
    }
}
