using System.Globalization;
using Forwarder.IntegrationTests.Infrastructure;

namespace Forwarder.IntegrationTests.Liveness;

/// <summary>
/// A BIRD 2 daemon in a network namespace, with its configuration, control socket and pid file in a directory of
/// its own. Disposing stops it by the pid it wrote (and nothing else) and removes the directory.
/// </summary>
internal sealed class BirdDaemon : IDisposable
{
    private readonly string _directory;

    private BirdDaemon(string directory) => _directory = directory;

    public string ControlSocket => Path.Combine(_directory, "bird.ctl");

    public static BirdDaemon Start(NetworkNamespace ns, string configuration)
    {
        string directory = Directory.CreateTempSubdirectory($"fwt-bird-{ns.Name}-").FullName;
        var bird = new BirdDaemon(directory);
        try
        {
            string config = Path.Combine(directory, "bird.conf");
            File.WriteAllText(config, configuration);
            // bird forks into the background once its configuration is read; a bad one fails here.
            CommandResult started = ns.Exec("bird", "-c", config, "-s", bird.ControlSocket, "-P", Path.Combine(directory, "bird.pid"));
            if (!started.Succeeded)
                throw new InvalidOperationException($"bird did not start in {ns.Name}: {started}");
            return bird;
        }
        catch
        {
            bird.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        string pidFile = Path.Combine(_directory, "bird.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
        {
            LibC.Kill(pid, LibC.SIGTERM);
            Wait.Until(() => !Directory.Exists($"/proc/{pid}"), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(20));
        }
        Directory.Delete(_directory, recursive: true);
    }
}
