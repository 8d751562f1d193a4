using System.Runtime.Versioning;
using System.Text;
using Forwarder.Configuration;

namespace Forwarder.Tests.Configuration;

/// <summary>
/// The one reader of configuration files (check, replay, run and every reload): regular files only, none
/// larger than 16 MiB, and nothing that can block it or make it read without end.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ConfigFileTextTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("forwarder-read-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void A_character_device_that_never_ends_is_refused_unread()
    {
        ConfigLoadResult result = LoadWithin(TimeSpan.FromSeconds(30), "/dev/zero");
        Assert.Equal("cannot read /dev/zero: it is a device or pipe, not a regular file; give the path of the configuration file",
            Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void A_fifo_is_refused_without_waiting_for_a_writer()
    {
        string fifo = Path.Combine(_directory.FullName, "forwarder.yaml");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            Assert.True(mkfifo.WaitForExit(10_000));
            Assert.Equal(0, mkfifo.ExitCode);
        }

        ConfigLoadResult result = LoadWithin(TimeSpan.FromSeconds(30), fifo);

        Assert.Contains("it is a device or pipe, not a regular file", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void A_directory_is_refused()
    {
        ConfigLoadResult result = LoadWithin(TimeSpan.FromSeconds(30), _directory.FullName);
        Assert.Contains("it is a directory, not a regular file", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void A_file_larger_than_16_MiB_is_refused_with_its_size()
    {
        string path = Path.Combine(_directory.FullName, "forwarder.yaml");
        using (var file = File.Create(path))
            file.SetLength(ForwarderConfigLoader.MaxFileBytes + 1);

        ConfigLoadResult result = LoadWithin(TimeSpan.FromSeconds(30), path);

        Assert.Equal($"cannot read {path}: the file is {ForwarderConfigLoader.MaxFileBytes + 1} bytes; a configuration file may have at most 16777216 bytes (16 MiB)",
            Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        string path = Path.Combine(_directory.FullName, "missing.yaml");
        Assert.Throws<FileNotFoundException>(() => ConfigFileText.Read(path));
        Assert.Equal($"cannot read {path}: No such file or directory", Assert.Single(ForwarderConfigLoader.LoadFile(path).Errors).ToString());
    }

    [Fact]
    public void A_regular_file_is_read_whole_with_its_byte_order_mark_dropped()
    {
        string path = Path.Combine(_directory.FullName, "forwarder.yaml");
        string text = TestConfigs.Minimal + "\n# " + new string('x', 200_000) + "\n";
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        Assert.Equal(text, ConfigFileText.Read(path));
        Assert.True(ForwarderConfigLoader.LoadFile(path).IsValid);
    }

    private static ConfigLoadResult LoadWithin(TimeSpan timeout, string path)
    {
        Task<ConfigLoadResult> load = Task.Factory.StartNew(() => ForwarderConfigLoader.LoadFile(path), TaskCreationOptions.LongRunning);
        Assert.True(load.Wait(timeout), $"reading {path} did not finish within {timeout.TotalSeconds} s");
        return load.Result;
    }
}
