using System.Runtime.Versioning;
using Forwarder.Api;

namespace Forwarder.Tests.Api;

/// <summary>
/// Under umask 000 the API's Unix socket and the directories created for it are still private: the directories
/// 0750, the socket 0660 from the moment it appears; a path that holds something other than a socket is left alone.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(UmaskCollection.Name)]
public sealed class UnixSocketFileModeTests : IDisposable
{
    private const UnixFileMode Directory0750 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
    private const UnixFileMode Socket0660 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("forwarder-sock-");

    [Fact]
    public async Task Under_umask_000_created_directories_are_0750_and_the_socket_0660()
    {
        string socketPath = Path.Combine(_directory.FullName, "run", "forwarder", "api.sock");
        using (ProcessUmask.Set(0))
        {
            await using TestApi api = await TestApi.StartAsync(address: ApiAddress.Unix(socketPath));
            Assert.Equal(Directory0750, File.GetUnixFileMode(Path.Combine(_directory.FullName, "run")));
            Assert.Equal(Directory0750, File.GetUnixFileMode(Path.Combine(_directory.FullName, "run", "forwarder")));
            Assert.Equal(Socket0660, File.GetUnixFileMode(socketPath));
            Assert.Equal(["api.sock"], Directory.GetFileSystemEntries(Path.GetDirectoryName(socketPath)!).Select(Path.GetFileName));
            Assert.Equal(1, (await api.GetJson("/status")).GetProperty("version").GetInt64());
        }
    }

    [Fact]
    public async Task Under_umask_000_the_socket_appears_at_its_path_already_0660()
    {
        string socketPath = Path.Combine(_directory.FullName, "api.sock");
        var seen = new System.Collections.Concurrent.ConcurrentQueue<UnixFileMode?>();
        using var watcher = new FileSystemWatcher(_directory.FullName, "api.sock");
        void Look(object sender, FileSystemEventArgs e) => seen.Enqueue(File.Exists(socketPath) ? File.GetUnixFileMode(socketPath) : null);
        watcher.Created += Look;
        watcher.Renamed += (sender, e) => Look(sender, e);
        watcher.EnableRaisingEvents = true;
        using (ProcessUmask.Set(0))
        {
            await using TestApi api = await TestApi.StartAsync(address: ApiAddress.Unix(socketPath));
            Assert.True(SpinWait.SpinUntil(() => !seen.IsEmpty, TimeSpan.FromSeconds(5)), "the socket's appearance was not seen");
        }

        Assert.All(seen.Where(mode => mode is not null), mode => Assert.Equal(Socket0660, mode));
    }

    [Fact]
    public async Task A_regular_file_at_the_socket_s_path_is_refused_and_kept()
    {
        string path = Path.Combine(_directory.FullName, "forwarder.yaml");
        File.WriteAllText(path, "precious");

        IOException refused = await Assert.ThrowsAsync<IOException>(() => TestApi.StartAsync(address: ApiAddress.Unix(path)));

        Assert.Contains(path, refused.Message);
        Assert.Contains("not a socket", refused.Message);
        Assert.Equal("precious", File.ReadAllText(path));
    }

    [Fact]
    public async Task A_directory_at_the_socket_s_path_is_refused_and_kept()
    {
        string path = Path.Combine(_directory.FullName, "sub");
        Directory.CreateDirectory(path);

        IOException refused = await Assert.ThrowsAsync<IOException>(() => TestApi.StartAsync(address: ApiAddress.Unix(path)));

        Assert.Contains("not a socket", refused.Message);
        Assert.True(Directory.Exists(path));
    }

    [Fact]
    public async Task A_symbolic_link_at_the_socket_s_path_is_refused_and_its_target_kept()
    {
        string target = Path.Combine(_directory.FullName, "forwarder.yaml");
        File.WriteAllText(target, "precious");
        string path = Path.Combine(_directory.FullName, "api.sock");
        File.CreateSymbolicLink(path, target);

        IOException refused = await Assert.ThrowsAsync<IOException>(() => TestApi.StartAsync(address: ApiAddress.Unix(path)));

        Assert.Contains("is a symbolic link, not a socket", refused.Message);
        Assert.Equal(target, new FileInfo(path).LinkTarget);
        Assert.Equal("precious", File.ReadAllText(target));
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
