using System.Diagnostics.CodeAnalysis;

namespace Forwarder.Configuration;

/// <summary>
/// What loading a configuration file gave: the configuration when there is no error, or no
/// configuration and every error found (a file is accepted or refused as a whole). Warnings point at
/// settings that are valid but probably not meant, and never stop a file from loading.
/// </summary>
public sealed record ConfigLoadResult(ForwarderConfig? Config, IReadOnlyList<ConfigDiagnostic> Errors, IReadOnlyList<ConfigDiagnostic> Warnings)
{
    [MemberNotNullWhen(true, nameof(Config))]
    public bool IsValid => Config is not null;
}
