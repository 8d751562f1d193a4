using System.Runtime.Versioning;
using Forwarder.Api;

namespace Forwarder.Tests.Api;

/// <summary>What <c>--api-token-file</c> accepts: a regular file others cannot read or write, holding one line.</summary>
[SupportedOSPlatform("linux")]
public sealed class ApiTokenFileTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("forwarder-token-");

    [Theory]
    [InlineData("s3cret\n")]
    [InlineData("s3cret\r\n")]
    [InlineData("s3cret")]
    public void A_trailing_newline_is_not_part_of_the_token(string text)
    {
        ApiToken token = ApiToken.ReadFile(Write(text, OwnerOnly | UnixFileMode.GroupRead));

        Assert.True(token.Authorizes("Bearer s3cret"));
        Assert.False(token.Authorizes("Bearer s3cret\n"));
        Assert.Equal("Bearer s3cret", token.AuthorizationValue);
        Assert.DoesNotContain("s3cret", token.ToString());
    }

    [Theory]
    [InlineData(UnixFileMode.OtherRead, "other users may read it (mode 0604); chmod o-rw")]
    [InlineData(UnixFileMode.OtherWrite, "other users may write it (mode 0602); chmod o-rw")]
    public void A_file_other_users_may_read_or_write_is_refused(UnixFileMode other, string message)
    {
        string path = Write("s3cret\n", OwnerOnly | other);

        FormatException refused = Assert.Throws<FormatException>(() => ApiToken.ReadFile(path));

        Assert.StartsWith($"--api-token-file {path}: ", refused.Message);
        Assert.Contains(message, refused.Message);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("\n", "is empty")]
    [InlineData("two\nlines\n", "one line of visible ASCII characters")]
    [InlineData("with space", "one line of visible ASCII characters")]
    public void An_empty_or_malformed_token_is_refused(string text, string message)
    {
        string path = Write(text, OwnerOnly);

        Assert.Contains(message, Assert.Throws<FormatException>(() => ApiToken.ReadFile(path)).Message);
    }

    [Fact]
    public void A_directory_a_device_or_a_missing_file_is_refused()
    {
        Assert.Contains("is a directory, not a regular file", Assert.Throws<FormatException>(() => ApiToken.ReadFile(_directory.FullName)).Message);
        Assert.Contains("is a device or pipe, not a regular file", Assert.Throws<FormatException>(() => ApiToken.ReadFile("/dev/null")).Message);
        Assert.Contains("no such file", Assert.Throws<FormatException>(() => ApiToken.ReadFile(Path.Combine(_directory.FullName, "none"))).Message);
    }

    [Fact]
    public void A_link_to_a_private_file_is_read()
    {
        string target = Write("s3cret\n", OwnerOnly);
        string link = Path.Combine(_directory.FullName, "link");
        File.CreateSymbolicLink(link, target);

        Assert.True(ApiToken.ReadFile(link).Authorizes("Bearer s3cret"));
    }

    private string Write(string text, UnixFileMode mode)
    {
        string path = Path.Combine(_directory.FullName, $"token-{Guid.NewGuid():N}");
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
