namespace Forwarder.Hosting;

/// <summary>The steps of <c>forwarder run</c> from exec to the first forwarded batch that <see cref="StartupTimeline"/> times.</summary>
public enum StartupPhase
{
    /// <summary>The .NET runtime is up and the forwarder's Main runs (again after the capability re-exec).</summary>
    RuntimeUp,
    /// <summary>The command line is parsed and the configuration file loaded and validated.</summary>
    ConfigLoaded,
    /// <summary>The start-up checks passed (<see cref="StartupChecks"/>).</summary>
    Checked,
    /// <summary>The privileged set-up is done: lock, sockets, program (<see cref="PrivilegedSetUp"/>).</summary>
    PrivilegedSetUp,
    /// <summary>Just before execve for the capability drop.</summary>
    ReExec,
    /// <summary>The sockets and UMEMs are adopted (or made) and registered in the program's socket map.</summary>
    SocketsAdopted,
    /// <summary>The program's VIP (and backend) maps are filled.</summary>
    MapsFilled,
    /// <summary>The program is attached (a killed instance's replaced).</summary>
    ProgramAttached,
    /// <summary>Every queue's worker thread is started.</summary>
    WorkersStarted,
    /// <summary>A worker transmitted its first batch.</summary>
    FirstBatchForwarded,
}
