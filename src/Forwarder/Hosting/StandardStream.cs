using System.Runtime.InteropServices;
using AfXdp;
using Forwarder.Interop;

namespace Forwarder.Hosting;

/// <summary>
/// A standard stream (fd 1 or 2) written with write(2), unbuffered, as .NET's console stream writes it, except
/// that every failure is an <see cref="IOException"/>: .NET's treats EPIPE (the pipe's reader is gone) as written,
/// so lines lost into a closed pipe would go uncounted. Plain write(2) keeps the descriptor's own offset and
/// O_APPEND, so stdout and stderr sharing one file (<c>&gt;log 2&gt;&amp;1</c>) interleave as they should.
/// </summary>
public sealed unsafe class StandardStream(int fd) : Stream
{
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            int done = 0;
            while (done < buffer.Length)
            {
                nint written = Posix.Write(fd, start + done, (nuint)(buffer.Length - done));
                if (written >= 0)
                {
                    done += (int)written;
                    continue;
                }
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errnos.EINTR)
                    continue;
                if (errno == Errnos.EAGAIN) // a non-blocking descriptor: wait until it takes more, as .NET's console stream does
                {
                    var ready = new Posix.PollFd { Fd = fd, Events = Posix.POLLOUT };
                    Posix.Poll(&ready, 1, -1);
                    continue;
                }
                throw new IOException($"write to fd {fd} failed: {Errnos.Name(errno)} ({Marshal.GetPInvokeErrorMessage(errno)})", errno);
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush()
    {
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
