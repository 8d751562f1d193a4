namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>
/// A 64 KiB tmpfs mounted on a temporary directory of its own, with an empty file <see cref="OutputPath"/>
/// and the rest of its space taken by another file: every write to the output file fails with ENOSPC, as on
/// a log disk that filled up. Dispose unmounts it (after whoever wrote there is gone) and removes the directory.
/// </summary>
public sealed class FullFilesystem : IDisposable
{
    private const string Size = "64k";
    private bool _mounted;

    private FullFilesystem(string directory) => Directory = directory;

    /// <summary>The mount point.</summary>
    public string Directory { get; }

    /// <summary>An empty file on the full filesystem.</summary>
    public string OutputPath => Path.Combine(Directory, "stdout");

    public static FullFilesystem Create()
    {
        RootGuard.Require();
        var filesystem = new FullFilesystem(System.IO.Directory.CreateTempSubdirectory($"{NamespaceNames.NextPrefix()}-full-").FullName);
        try
        {
            HostCommand.Check("mount", "-t", "tmpfs", "-o", $"size={Size},mode=0755", "tmpfs", filesystem.Directory);
            filesystem._mounted = true;
            File.WriteAllBytes(filesystem.OutputPath, []);
            HostCommand.Run("dd", "if=/dev/zero", $"of={Path.Combine(filesystem.Directory, "filler")}", "bs=4096"); // stops at ENOSPC
            filesystem.CheckFull();
            return filesystem;
        }
        catch
        {
            filesystem.Dispose();
            throw;
        }
    }

    /// <summary>Proves a write to <see cref="OutputPath"/> fails, so that a passing test did meet a full disk.</summary>
    private void CheckFull()
    {
        try
        {
            using var stream = new FileStream(OutputPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1);
            stream.Write(new byte[4096]);
            stream.Flush();
        }
        catch (IOException)
        {
            return;
        }
        throw new InvalidOperationException($"{Directory} is not full: a 4 KiB write to {OutputPath} succeeded");
    }

    public void Dispose()
    {
        if (_mounted)
        {
            _mounted = false;
            HostCommand.Run("umount", Directory); // best effort: a failed test must still clean up the rest
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: false);
        }
        catch (IOException)
        {
        }
    }
}
