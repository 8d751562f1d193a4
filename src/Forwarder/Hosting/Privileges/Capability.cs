namespace Forwarder.Hosting.Privileges;

/// <summary>The Linux capabilities by number (linux/capability.h) that the forwarder reasons about.</summary>
public enum Capability
{
    SetPcap = 8,
    NetBindService = 10,
    NetAdmin = 12,
    NetRaw = 13,
    IpcLock = 14,
    SysAdmin = 21,
    SysResource = 24,
    Perfmon = 38,
    Bpf = 39,
}
