using System.IO.Pipes;
using System.Runtime.Versioning;
using System.Text;
using Forwarder.Hosting;

namespace Forwarder.Tests.Hosting;

/// <summary>Standard streams written with write(2): a pipe whose reader is gone is a counted failure, not a silent loss.</summary>
[SupportedOSPlatform("linux")]
public sealed class StandardStreamTests
{
    [Fact]
    public void Lines_reach_the_reader_whole()
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        using var reader = new StreamReader(new AnonymousPipeClientStream(PipeDirection.In, pipe.ClientSafePipeHandle), Encoding.UTF8);
        FailSafeTextWriter writer = ConsoleOutput.Open((int)pipe.SafePipeHandle.DangerousGetHandle());

        writer.WriteLine("READY iface=eth0 – queues=0,1");
        writer.WriteLine(new string('x', 5000));

        Assert.Equal("READY iface=eth0 – queues=0,1", reader.ReadLine());
        Assert.Equal(5000, reader.ReadLine()!.Length);
        Assert.Equal(0, writer.Failures);
    }

    [Fact]
    public void A_pipe_whose_reader_is_gone_fails_with_epipe_and_is_counted()
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        pipe.DisposeLocalCopyOfClientHandle(); // the only read end: closed
        int fd = (int)pipe.SafePipeHandle.DangerousGetHandle();

        IOException e = Assert.Throws<IOException>(() => new StandardStream(fd).Write("line\n"u8));
        Assert.Contains("EPIPE", e.Message, StringComparison.Ordinal);

        FailSafeTextWriter writer = ConsoleOutput.Open(fd);
        writer.WriteLine("[  1.0s] q0 rx 10 pps");
        writer.WriteLine("FINAL {}");
        Assert.Equal(2, writer.Failures);
    }
}
