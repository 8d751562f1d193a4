namespace Forwarder.Configuration;

/// <summary>
/// What reading a valid configuration's <c>vips</c> found, kept beside the configuration so that an edit of it
/// can reuse the reading of every VIP it leaves alone (<see cref="ForwarderConfigLoader.LoadEdit"/>).
/// </summary>
internal sealed record LoadedVips(ConfigNode VipsNode, IReadOnlyList<VipAsRead> Readings);
