using System.Runtime.Versioning;
using System.Text;
using Forwarder.Hosting;

namespace Forwarder.Tests.Hosting;

/// <summary>A failed write of a log or stats line is counted and dropped; it never reaches the caller.</summary>
[SupportedOSPlatform("linux")]
public sealed class FailSafeTextWriterTests
{
    /// <summary>A disk that fills up after <paramref name="room"/> bytes: then every write fails with ENOSPC's IOException.</summary>
    private sealed class FillingStream(int room) : Stream
    {
        public MemoryStream Written { get; } = new();

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Written.Length + count > room)
                throw new IOException("No space left on device");
            Written.Write(buffer, offset, count);
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Written.Length;
        public override long Position { get => Written.Length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static (FailSafeTextWriter Writer, FillingStream Disk) OnDisk(int room)
    {
        var disk = new FillingStream(room);
        var console = new StreamWriter(disk, new UTF8Encoding(false)) { AutoFlush = true }; // as Console.Out is
        return (new FailSafeTextWriter(TextWriter.Synchronized(console)), disk);
    }

    [Fact]
    public void Writes_pass_through_while_the_disk_has_room()
    {
        (FailSafeTextWriter writer, FillingStream disk) = OnDisk(room: 1 << 20);

        writer.WriteLine("READY iface=eth0");
        writer.Write('[');
        writer.Write("  1.0s]".AsSpan());
        writer.WriteLine(" q0 rx 10 pps".AsSpan());
        writer.Flush();

        Assert.Equal("READY iface=eth0\n[  1.0s] q0 rx 10 pps\n", Encoding.UTF8.GetString(disk.Written.ToArray()));
        Assert.Equal(0, writer.Failures);
    }

    [Fact]
    public void A_full_disk_counts_each_failed_line_and_throws_nothing()
    {
        (FailSafeTextWriter writer, FillingStream disk) = OnDisk(room: 17);

        writer.WriteLine("READY iface=eth0"); // 17 bytes: just fits
        writer.WriteLine("[  1.0s] q0 rx 10 pps");
        writer.WriteLine("[  2.0s] q0 rx 10 pps");
        writer.Write('x');
        writer.Write("FINAL {}".ToCharArray(), 0, 8);
        writer.Flush();

        Assert.Equal("READY iface=eth0\n", Encoding.UTF8.GetString(disk.Written.ToArray()));
        Assert.Equal(4, writer.Failures);
    }

    [Fact]
    public void A_closed_writer_is_a_failure_too()
    {
        var inner = new StringWriter();
        var writer = new FailSafeTextWriter(inner);
        inner.Dispose();

        writer.WriteLine("line");
        writer.Write("text");

        Assert.Equal(2, writer.Failures);
    }

    [Fact]
    public void Formatted_and_typed_writes_go_through_the_guard()
    {
        (FailSafeTextWriter writer, _) = OnDisk(room: 0);

        writer.WriteLine("{0} {1}", "a", 1);
        writer.WriteLine(42);
        writer.Write(true);

        Assert.True(writer.Failures >= 3, $"{writer.Failures} failure(s) counted"); // some overloads write a line in two calls
    }
}
