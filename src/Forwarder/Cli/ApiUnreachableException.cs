using Forwarder.Api;

namespace Forwarder.Cli;

/// <summary>No forwarder answered at the API address: not running, running without the API, or elsewhere.</summary>
public sealed class ApiUnreachableException(ApiAddress address, Exception? inner = null)
    : Exception($"no forwarder answers at {address}: is `forwarder run --config` running, with --api?", inner);
