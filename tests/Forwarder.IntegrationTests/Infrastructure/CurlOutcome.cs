namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>One curl transfer: the local port asked for and the one used, curl's exit code, the HTTP status and the body (or curl's error).</summary>
public sealed record CurlOutcome(int RequestedPort, int LocalPort, int ExitCode, int HttpStatus, string Body, string Error)
{
    public bool Succeeded => ExitCode == 0 && HttpStatus == 200 && LocalPort == RequestedPort;

    public override string ToString() =>
        Succeeded ? $"port {LocalPort}: '{Body}'" : $"port {RequestedPort}: exit {ExitCode}, status {HttpStatus}, local port {LocalPort}, '{Error}' '{Body}'";
}
