namespace Forwarder.Configuration;

/// <summary>
/// A VIP as read, with its node for cross-checks. <paramref name="IdentityIsValid"/> says whether its
/// address, port and protocol were read without error, i.e. whether duplicate checks may use them.
/// </summary>
internal sealed record ParsedVip(VipConfig Config, string Path, ConfigMapping Node, bool IdentityIsValid);
