using System.Text;

namespace Forwarder.Hosting;

/// <summary>
/// Writes through to another writer, but a write or flush that fails (a full disk, an I/O error, a closed
/// stream) is counted and its text dropped, never thrown: losing a log or stats line must not stop the
/// process that forwards traffic. Each call goes to the inner writer in one piece, so a synchronized inner
/// writer keeps lines whole.
/// </summary>
public sealed class FailSafeTextWriter(TextWriter inner) : TextWriter(inner.FormatProvider)
{
    private long _failures;

    /// <summary>Writes and flushes that failed since the start.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    public override Encoding Encoding => inner.Encoding;

    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string NewLine
    {
        get => inner.NewLine;
        set => inner.NewLine = value;
    }

    public override void Write(char value) => Guard(w => w.Write(value));

    public override void Write(string? value) => Guard(w => w.Write(value));

    public override void Write(char[] buffer, int index, int count) => Guard(w => w.Write(buffer, index, count));

    public override void Write(ReadOnlySpan<char> buffer)
    {
        // A span cannot be captured by a lambda: copy it (only the rare span-taking callers pay for it).
        string text = buffer.ToString();
        Guard(w => w.Write(text));
    }

    public override void WriteLine() => Guard(w => w.WriteLine());

    public override void WriteLine(string? value) => Guard(w => w.WriteLine(value));

    public override void WriteLine(ReadOnlySpan<char> buffer)
    {
        string text = buffer.ToString();
        Guard(w => w.WriteLine(text));
    }

    public override void Flush() => Guard(w => w.Flush());

    private void Guard(Action<TextWriter> write)
    {
        try
        {
            write(inner);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _failures);
        }
    }
}
