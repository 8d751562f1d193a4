namespace TrafficGen.Generation;

/// <summary>How frames are put on the wire.</summary>
public enum InjectionMethod
{
    /// <summary>BPF_PROG_RUN in live-frames mode (XDP_TX from inside the kernel): the fastest, where the kernel allows it.</summary>
    LiveFrames,

    /// <summary>An AF_XDP socket's TX ring per sending CPU (copy mode on a veth): for kernels that refuse live frames.</summary>
    Socket,
}
