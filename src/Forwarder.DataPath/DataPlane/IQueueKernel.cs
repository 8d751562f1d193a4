using AfXdp;

namespace Forwarder.DataPlane;

/// <summary>
/// The syscalls a worker may make on its queue: wakeups when a ring asks for one, and a sleep when
/// there is nothing to do. Never per packet. A struct implements it so calls are direct.
/// </summary>
public interface IQueueKernel
{
    /// <summary>Asks the kernel to transmit; 0 or a positive errno (EAGAIN: more left to send).</summary>
    int WakeTx();

    /// <summary>Asks the kernel to receive into the FILL ring; 0 or a positive errno.</summary>
    int WakeRx();

    /// <summary>Sleeps until RX has entries or <paramref name="timeoutMs"/> passes.</summary>
    void WaitForRx(int timeoutMs);
}

/// <summary>The real kernel behind an <see cref="XskSocket"/>.</summary>
public readonly struct SocketKernel(XskSocket socket) : IQueueKernel
{
    public int WakeTx() => socket.WakeTx();

    public int WakeRx() => socket.WakeRx();

    public void WaitForRx(int timeoutMs) => socket.WaitForRx(timeoutMs);
}
