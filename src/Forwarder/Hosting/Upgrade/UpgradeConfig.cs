using System.Globalization;
using System.Text;
using Forwarder.Interop;

namespace Forwarder.Hosting.Upgrade;

/// <summary>
/// The running configuration handed to an upgrade's successor, API changes included: written to a memfd by the
/// predecessor and named in <see cref="EnvironmentVariable"/>; the successor starts from it instead of the file
/// (which it goes on watching and reloads on SIGHUP as before).
/// </summary>
public static class UpgradeConfig
{
    public const string EnvironmentVariable = "FORWARDER_UPGRADE_CONFIG";

    /// <summary>A memfd holding <paramref name="yaml"/>, close-on-exec, read from its start.</summary>
    public static int Write(string yaml)
    {
        int fd = Posix.MemfdCreate("forwarder-upgrade-config", Posix.MFD_CLOEXEC);
        if (fd < 0)
            throw new IOException($"memfd_create: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(System.Runtime.InteropServices.Marshal.GetLastPInvokeError())}");
        using var stream = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(Posix.Fcntl(fd, Posix.F_DUPFD_CLOEXEC, 3), ownsHandle: true), FileAccess.Write);
        stream.Write(Encoding.UTF8.GetBytes(yaml));
        return fd;
    }

    /// <summary>The configuration text a predecessor handed over, or null when there is none; removes the variable and closes the memfd.</summary>
    public static string? Take()
    {
        string? text = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (text is null)
            return null;
        Environment.SetEnvironmentVariable(EnvironmentVariable, null);
        Posix.Unsetenv(EnvironmentVariable);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int fd) || fd < 3)
            throw new FormatException($"{EnvironmentVariable}: '{text}' is not a descriptor number");
        using var stream = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true), FileAccess.Read);
        stream.Seek(0, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
