using Forwarder.ControlPlane;

namespace Forwarder.Api;

/// <summary>A reload's answer: the change result, and whether the file differed from the running configuration.</summary>
public sealed record ReloadResult(ChangeResult Change, bool Changed);
