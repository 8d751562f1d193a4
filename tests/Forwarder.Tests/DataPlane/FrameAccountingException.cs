namespace Forwarder.Tests.DataPlane;

/// <summary>The simulated kernel caught a frame where it cannot be: lost, duplicated, out of the UMEM or on the wrong ring.</summary>
public sealed class FrameAccountingException(string message) : Exception(message);
