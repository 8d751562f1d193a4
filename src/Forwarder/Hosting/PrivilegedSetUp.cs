using System.Runtime.InteropServices;
using AfXdp;
using Forwarder.Hosting.Privileges;
using Forwarder.Interop;
using Forwarder.Steering;

namespace Forwarder.Hosting;

/// <summary>
/// The part of set-up that needs more than the forwarder keeps, done before it drops capabilities: take the
/// interface's lock, create each queue's UMEM and AF_XDP socket through libxdp and bind it (CAP_NET_RAW,
/// CAP_IPC_LOCK), load the XDP program (CAP_BPF, CAP_PERFMON), and open the program of a killed instance that
/// is to be replaced (CAP_SYS_ADMIN finds it by id), and create the liveness device (CAP_NET_ADMIN). Then shrink the capability sets and exec, handing
/// everything over as descriptors; the successor maps the UMEMs and rings without libxdp. Map contents and
/// attaching are the successor's.
/// </summary>
public static class PrivilegedSetUp
{
    /// <summary>Returns only by throwing; on success the process is replaced by its successor.</summary>
    /// <param name="leftBehind">Our program of a killed instance, still attached to the interface; null when there is none.</param>
    public static void HandOverAndReExec(ForwarderOptions options, CapabilitySet keep, AttachedProgram? leftBehind)
    {
        NetworkInterface iface = NetworkInterface.Get(options.Interface);
        // Before any socket binds, so that a second instance is refused by the lock, not by a busy queue.
        InterfaceLock interfaceLock = InterfaceLock.Acquire(iface, "forwarder");
        var queues = new List<XskHandOver>();
        Liveness.LivenessDevice? liveness = null;
        try
        {
            // Made here, where CAP_NET_ADMIN is certain; the successor only switches it up and down.
            if (options.Liveness is { } livenessOptions)
                liveness = Liveness.LivenessDevice.Create(livenessOptions.DeviceName);
            foreach (QueueAssignment assignment in options.Queues)
                queues.Add(QueueWorker.CreateSocket(assignment, options, iface.Name));
            int programFd;
            Dictionary<string, int> maps;
            using (RedirectProgram program = RedirectProgram.Load(options.BpfObjectPath))
            {
                programFd = Inheritable(program.ProgramFd);
                maps = RedirectProgram.MapNames.ToDictionary(name => name, name => Inheritable(program.MapFd(name)));
            }
            int attached = -1;
            if (leftBehind is not null)
            {
                int fd = XdpProgram.OpenById(leftBehind.Id);
                attached = Inheritable(fd);
                Posix.Close(fd);
            }
            var setup = new InheritedSetup(interfaceLock.Fd, queues, programFd, maps, attached, liveness?.Fd ?? -1);
            foreach (int fd in setup.Descriptors())
                XskSocketFd.KeepOpenOnExec(fd);
            StartupTimeline.Mark(StartupPhase.PrivilegedSetUp);
            CapabilityDrop.To(keep);
            StartupTimeline.Mark(StartupPhase.ReExec);
            ReExec.Run([(InheritedSetup.EnvironmentVariable, setup.Format()), (StartupTimeline.EnvironmentVariable, StartupTimeline.HandOver())]);
        }
        catch
        {
            foreach (XskHandOver queue in queues)
            {
                Posix.Close(queue.SocketFd);
                Posix.Close(queue.MemoryFd);
            }
            liveness?.Dispose();
            interfaceLock.Dispose();
            throw;
        }
    }

    /// <summary>A copy of <paramref name="fd"/> that stays open across execve (libbpf opens its descriptors close-on-exec).</summary>
    private static int Inheritable(int fd)
    {
        int copy = Posix.Fcntl(fd, Posix.F_DUPFD, 3);
        return copy >= 0 ? copy : throw new XdpException("fcntl(F_DUPFD)", Marshal.GetLastPInvokeError(), $"fd {fd}");
    }
}
