namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>The client addresses fixtures send from.</summary>
internal static class Clients
{
    /// <summary>Katran's reference client (with port 31337).</summary>
    public const string V4 = "192.168.1.1";
    public const string OtherV4 = "198.51.100.7";
    public const string V6 = "2001:db8::1";
    public const string OtherV6 = "2001:db8:0:1::42";
}
