namespace Forwarder.Configuration;

/// <summary>One <c>key: value</c> pair of a mapping.</summary>
internal sealed record ConfigMappingEntry(ConfigScalar Key, ConfigNode Value);
