namespace Forwarder.Announce;

/// <summary>One line of a BIRD control-socket reply: its 4-digit code and its text.</summary>
public readonly record struct BirdReplyLine(int Code, string Text);

/// <summary>A whole BIRD reply: every line up to and including the final one (the line whose code is followed by a space).</summary>
public sealed record BirdReply(IReadOnlyList<BirdReplyLine> Lines)
{
    /// <summary>The final line's code: <c>0xxx</c> done, <c>8xxx</c> run-time error, <c>9xxx</c> parse error.</summary>
    public int Code => Lines[^1].Code;

    /// <summary>The final line's text.</summary>
    public string Text => Lines[^1].Text;

    /// <summary>BIRD refused the command: a run-time (8xxx) or parse-time (9xxx) error.</summary>
    public bool IsError => Code >= 8000;
}
