namespace Forwarder.Api;

/// <summary>The answer to <c>POST /upgrade</c>.</summary>
/// <param name="Result"><c>upgraded</c>, <c>rolled back</c> or <c>refused</c>.</param>
/// <param name="Message">What happened, or why not.</param>
/// <param name="Pid">The new process's pid, once one was started.</param>
/// <param name="PauseMs">How long the workers were stopped for the hand-over, when they were.</param>
/// <param name="RolledBack">Upgrades rolled back since this process started.</param>
public sealed record UpgradeReply(string Result, string Message, int? Pid, double? PauseMs, long RolledBack)
{
    /// <summary><c>RESULT: MESSAGE</c>, e.g. <c>rolled back: the new process exited with code 1 ...</c>.</summary>
    public override string ToString() => $"{Result}: {Message}";
}
