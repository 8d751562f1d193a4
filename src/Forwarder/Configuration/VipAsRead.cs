namespace Forwarder.Configuration;

/// <summary>One VIP as the reader saw it: the VIP with its node for the checks across VIPs, and the warnings it gave.</summary>
internal sealed record VipAsRead(ParsedVip Vip, IReadOnlyList<ConfigDiagnostic> Warnings);
