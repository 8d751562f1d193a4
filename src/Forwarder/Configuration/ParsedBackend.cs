namespace Forwarder.Configuration;

/// <summary>A backend as read, with the nodes that cross-checks point at.</summary>
internal sealed record ParsedBackend(BackendConfig Config, string Path, ConfigMapping Node, ConfigNode AddressNode, ConfigNode? PortNode);
