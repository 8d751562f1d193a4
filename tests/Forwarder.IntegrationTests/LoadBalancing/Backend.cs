using System.Net;
using Forwarder.IntegrationTests.Infrastructure;

namespace Forwarder.IntegrationTests.LoadBalancing;

/// <summary>A real server: its namespace, its address and MAC on the shared segment, and the nginx answering its name.</summary>
public sealed record Backend(string Name, NetworkNamespace Namespace, IPAddress Address, string Mac, NginxServer Nginx)
{
    public override string ToString() => $"{Name} ({Address})";
}
