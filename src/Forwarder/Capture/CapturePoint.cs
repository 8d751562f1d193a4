using Forwarder.DataPlane;

namespace Forwarder.Capture;

/// <summary>Where a capture is started on a running forwarder: the workers' <see cref="CaptureSwitch"/> and how many workers read it.</summary>
public sealed record CapturePoint(CaptureSwitch Switch, int Workers);
