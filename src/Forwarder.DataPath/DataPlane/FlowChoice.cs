namespace Forwarder.DataPlane;

/// <summary>
/// What <see cref="FlowDecision.Decide"/> found for one flow of one VIP: the ports word as hashed (the VIP's
/// hash options applied), the flow hash, the Maglev slot and the backend id in it — slot and backend -1 when
/// the VIP has no table (no backend can take traffic: such packets are dropped as <c>no_backend</c>).
/// </summary>
public readonly record struct FlowChoice(uint HashedPorts, uint Hash, int Slot, int Backend)
{
    public bool HasBackend => Backend >= 0;
}
