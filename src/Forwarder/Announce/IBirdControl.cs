namespace Forwarder.Announce;

/// <summary>Runs one command on BIRD's control socket (see <see cref="BirdControlClient"/>); small so tests can supply their own.</summary>
public interface IBirdControl
{
    /// <summary>Runs <paramref name="command"/>; never throws for anything BIRD or the socket does, only when <paramref name="cancel"/> is cancelled.</summary>
    Task<BirdResult> RunAsync(string command, CancellationToken cancel);
}
