namespace Forwarder.Hosting.Upgrade;

/// <summary>How an upgrade went, as the CLI, the API and the log say it.</summary>
/// <param name="Result"><c>upgraded</c>, <c>rolled back</c> (the successor failed; this forwarder never stopped serving) or <c>refused</c> (nothing was started).</param>
/// <param name="Message">What happened, or why not, in one line.</param>
/// <param name="SuccessorPid">The successor's pid, once one was started.</param>
/// <param name="PauseMilliseconds">How long this forwarder's workers were stopped, when they were.</param>
public sealed record UpgradeOutcome(string Result, string Message, int? SuccessorPid = null, double? PauseMilliseconds = null)
{
    public const string Upgraded = "upgraded";
    public const string RolledBack = "rolled back";
    public const string Refused = "refused";

    public bool Succeeded => Result == Upgraded;

    /// <summary>The one line an operator reads: <c>upgraded: ...</c>, <c>rolled back: ...</c>, <c>refused: ...</c>.</summary>
    public override string ToString() => $"{Result}: {Message}";
}
