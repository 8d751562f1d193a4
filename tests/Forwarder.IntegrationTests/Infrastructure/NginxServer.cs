using System.Net;

namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>
/// Debian's nginx inside a namespace: one process (no master, no daemon), listening on port
/// <see cref="Port"/> of every address, answering every request with a fixed body and closing the
/// connection (the server closes first, so clients keep no TIME_WAIT). Its access log names each
/// connection's endpoints as the server saw them (<see cref="NginxRequest"/>). Its config, pid, logs and
/// temp directories live in a directory of its own, deleted on dispose.
/// </summary>
public sealed class NginxServer : IDisposable
{
    public const int Port = 80;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly NamespaceProcess _process;

    private NginxServer(string directory, NamespaceProcess process)
    {
        Directory = directory;
        _process = process;
    }

    public string Directory { get; }
    private string AccessLog => Path.Combine(Directory, "access.log");
    private string ErrorLog => Path.Combine(Directory, "error.log");

    /// <summary>Starts nginx answering <paramref name="body"/> and waits until it accepts connections.</summary>
    public static NginxServer Start(NetworkNamespace ns, string body)
    {
        string directory = System.IO.Directory.CreateTempSubdirectory($"fwt-nginx-{ns.Name}-").FullName;
        NamespaceProcess? process = null;
        try
        {
            string config = Path.Combine(directory, "nginx.conf");
            File.WriteAllText(config, Config(directory, body));
            File.WriteAllText(Path.Combine(directory, "access.log"), "");
            process = NamespaceProcess.Start(ns, "nginx", "-e", Path.Combine(directory, "error.log"), "-p", directory, "-c", config);
            var server = new NginxServer(directory, process);
            var loopback = new IPEndPoint(IPAddress.Loopback, Port);
            if (!Wait.Until(() => process.HasExited || TcpProbe.CanConnect(ns, loopback, TimeSpan.FromMilliseconds(200)), StartTimeout, TimeSpan.FromMilliseconds(50))
                || process.HasExited)
            {
                throw new InvalidOperationException($"nginx in {ns.Name} does not accept connections on port {Port}.\n{server.Describe()}");
            }
            return server;
        }
        catch
        {
            process?.Dispose();
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>Requests answered so far: the lines of the access log.</summary>
    public int RequestsServed => File.ReadLines(AccessLog).Count();

    /// <summary>Every request answered so far, as the server saw its connection.</summary>
    public IReadOnlyList<NginxRequest> Requests() => File.ReadLines(AccessLog).Select(NginxRequest.Parse).ToList();

    public string Describe()
    {
        string errors = File.Exists(ErrorLog) ? File.ReadAllText(ErrorLog).TrimEnd() : "(no error log)";
        return $"{_process.Describe()}\n--- error.log ---\n{errors}";
    }

    private static string Config(string directory, string body) => $$"""
        daemon off;
        master_process off;
        worker_processes 1;
        pid {{directory}}/nginx.pid;
        error_log {{directory}}/error.log warn;
        events { worker_connections 4096; }
        http {
            log_format endpoints '$remote_addr:$remote_port $server_addr:$server_port';
            access_log {{directory}}/access.log endpoints;
            client_body_temp_path {{directory}}/body;
            proxy_temp_path {{directory}}/proxy;
            fastcgi_temp_path {{directory}}/fastcgi;
            uwsgi_temp_path {{directory}}/uwsgi;
            scgi_temp_path {{directory}}/scgi;
            keepalive_timeout 0;
            server {
                listen {{Port}} backlog=4096;
                location / { default_type text/plain; return 200 "{{body}}\n"; }
            }
        }
        """;

    public void Dispose()
    {
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a failed test must still clean up the rest
        }
    }
}
