namespace Forwarder.Configuration;

/// <summary>One spelling accepted for an enumerated setting, e.g. <c>dsr-l2</c> for <see cref="ForwardingMode.DsrL2"/>.</summary>
internal readonly record struct ConfigChoice<T>(string Name, T Value) where T : struct, Enum;
