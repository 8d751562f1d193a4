using Forwarder.Configuration;
using Forwarder.DataPlane;

namespace Forwarder.ControlPlane;

/// <summary>
/// A published VIP entry with the configuration it was built from. <see cref="Backends"/> are in the order of
/// the entry's backends (by backend id: sorted by address, then port), with the weight its table used (0 for a
/// backend marked down).
/// </summary>
public sealed record ConfiguredVip(VipEntry Entry, VipConfig Config, IReadOnlyList<BackendConfig> Backends);
