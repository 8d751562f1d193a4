using System.Text.Json;
using Forwarder.IntegrationTests.Infrastructure;
using Forwarder.IntegrationTests.LoadBalancing;

namespace Forwarder.IntegrationTests.ControlPlane;

/// <summary>
/// `forwarder run --api unix:PATH` started with umask 000 (after its capability drop, as root without
/// CAP_DAC_OVERRIDE): the directories it creates are 0750, the socket 0660, and the API refuses what a
/// web page would send while serving the CLI's requests.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ApiSocketTests
{
    private const UnixFileMode Directory0750 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
    private const UnixFileMode Socket0660 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    [RootFact]
    public void Under_umask_000_the_socket_and_its_directories_are_private_and_web_pages_are_refused()
    {
        string root = Path.Combine(Path.GetTempPath(), $"fwt-api-{Environment.ProcessId}-{Guid.NewGuid():N}");
        string socket = Path.Combine(root, "run", "api.sock");
        try
        {
            LoadBalancerUnderTest lb;
            uint previous = LibC.Umask(0); // inherited by the forwarder; integration tests run one at a time
            try
            {
                lb = LoadBalancerUnderTest.Start(LoadBalancingMode.Ipip, runOptions: ["--api", $"unix:{socket}"]);
            }
            finally
            {
                LibC.Umask(previous);
            }
            using (lb)
            {
                Assert.True(Wait.Until(() => File.Exists(socket), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50)), $"the API socket did not appear\n{lb.Describe()}");
                Assert.Equal(Directory0750, File.GetUnixFileMode(root));
                Assert.Equal(Directory0750, File.GetUnixFileMode(Path.GetDirectoryName(socket)!));
                Assert.Equal(Socket0660, File.GetUnixFileMode(socket));
                Assert.Equal([socket], Directory.GetFileSystemEntries(Path.GetDirectoryName(socket)!));

                using var api = new UnixApiClient(socket);
                (int status, string body) = api.Send(HttpMethod.Get, "/status");
                Assert.True(status == 200, $"GET /status: {status} {body}");
                string vip = $"/vips/{BackendPoolTopology.Vip}/{BackendPoolTopology.VipPort}/tcp";
                (status, body) = api.Send(HttpMethod.Delete, vip, headers: ("Origin", "http://evil.example"));
                Assert.True(status == 403, $"DELETE {vip} with an Origin: {status} {body}");
                (_, body) = api.Send(HttpMethod.Get, "/status");
                Assert.Equal(1, JsonDocument.Parse(body).RootElement.GetProperty("vips").GetArrayLength());
            }
        }
        finally
        {
            if (Directory.Exists(root))
                Directory.Delete(root, recursive: true);
        }
    }
}
