namespace Forwarder.Decap;

/// <summary>Slots of decap.c's <c>counters</c> map (its <c>enum counter</c>); every frame lands in exactly one.</summary>
internal enum DecapCounterSlot : uint
{
    DecapsulatedIpip = 0,
    DecapsulatedGue,
    NotAccepted,
    Unsupported,
    Passed,
    Malformed,
    Count,
}
