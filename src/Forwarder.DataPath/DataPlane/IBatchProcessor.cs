using Forwarder.Packets;

namespace Forwarder.DataPlane;

/// <summary>
/// The processing stage of a worker: rewrites the batch's frames in place and sets each frame's verdict
/// (<see cref="DropReason.None"/> = transmit). Runs on the worker's thread, so it must not allocate,
/// lock or throw. Implemented by structs so the worker's loop is specialised for it.
/// </summary>
public interface IBatchProcessor
{
    void Process(PacketBatch batch);
}
