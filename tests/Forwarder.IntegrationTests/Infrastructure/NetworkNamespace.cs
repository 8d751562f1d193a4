namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>A named network namespace (/run/netns/NAME) that this test created and deletes on dispose.</summary>
public sealed class NetworkNamespace : IDisposable
{
    private bool _deleted;

    private NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    public string Path => $"/run/netns/{Name}";

    public static NetworkNamespace Create(string name)
    {
        HostCommand.Check("ip", "netns", "add", name);
        var ns = new NetworkNamespace(name);
        ns.Ip("link", "set", "lo", "up");
        return ns;
    }

    /// <summary>`ip -n NAME ...`, throwing on failure.</summary>
    public CommandResult Ip(params string[] arguments) => HostCommand.Check("ip", ["-n", Name, .. arguments]);

    /// <summary>Runs a tool inside the namespace with nsenter (bpffs stays visible, unlike `ip netns exec`).</summary>
    public CommandResult Exec(string tool, params string[] arguments) => HostCommand.Run("nsenter", [$"--net={Path}", HostCommand.Resolve(tool), .. arguments]);

    public CommandResult CheckExec(string tool, params string[] arguments)
    {
        CommandResult result = Exec(tool, arguments);
        return result.Succeeded ? result : throw CommandFailedException.From(result);
    }

    public void Sysctl(string key, string value) => CheckExec("sysctl", "-qw", $"{key}={value}");

    /// <summary>Turns off TX checksum offload, so locally generated packets leave with complete checksums.</summary>
    public void DisableTxChecksumOffload(string device) => CheckExec("ethtool", "-K", device, "tx", "off");

    /// <summary>The MAC address of a device in this namespace, as `ip` prints it.</summary>
    public string MacOf(string device)
    {
        string json = Ip("-j", "link", "show", "dev", device).Stdout;
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement[0].GetProperty("address").GetString()
            ?? throw new InvalidOperationException($"{device} in {Name} has no MAC address");
    }

    public T RunInside<T>(Func<T> action) => NamespaceThread.Run(Path, action);

    public void Dispose()
    {
        if (_deleted)
            return;
        _deleted = true;
        HostCommand.Run("ip", "netns", "del", Name); // best effort: a failed test must still clean up the rest
    }
}
