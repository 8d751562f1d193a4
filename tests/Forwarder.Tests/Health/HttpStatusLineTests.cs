using System.Runtime.Versioning;
using System.Text;
using Forwarder.Health;

namespace Forwarder.Tests.Health;

[SupportedOSPlatform("linux")]
public sealed class HttpStatusLineTests
{
    [Theory]
    [InlineData("HTTP/1.1 200 OK\r", 200)]
    [InlineData("HTTP/1.0 503 Service Unavailable", 503)]
    [InlineData("HTTP/1.1 204", 204)]
    [InlineData("HTTP/1.1 100 Continue\r", 100)]
    public void A_status_line_gives_its_code(string line, int status)
    {
        Assert.True(HttpStatusLine.TryParse(Encoding.ASCII.GetBytes(line), out int parsed));
        Assert.Equal(status, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("HTTP/1.1")]
    [InlineData("HTTP/1.1 20")]
    [InlineData("HTTP/1.1 2000 OK")]
    [InlineData("HTTP/1.1 abc OK")]
    [InlineData("HTTP/1.1 099 Low")]
    [InlineData("HTTP/2 200 OK")]
    [InlineData("SSH-2.0-OpenSSH_9.2")]
    [InlineData("http/1.1 200 OK")]
    public void Anything_else_is_refused(string line) =>
        Assert.False(HttpStatusLine.TryParse(Encoding.ASCII.GetBytes(line), out _));

    [Fact]
    public void Unprintable_bytes_are_shown_as_dots_and_long_text_is_cut() =>
        Assert.Equal("a.b" + new string('x', 37) + "...", HttpStatusLine.Printable([(byte)'a', 0, (byte)'b', .. Enumerable.Repeat((byte)'x', 50)]));
}
