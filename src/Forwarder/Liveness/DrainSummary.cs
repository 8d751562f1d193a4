namespace Forwarder.Liveness;

/// <summary>How a finished drain went, for the FINAL line.</summary>
public sealed record DrainSummary(string Trigger, double Seconds, DrainEnd Ended)
{
    public string EndedName => Ended switch
    {
        DrainEnd.Quiet => "quiet",
        DrainEnd.Max => "max",
        _ => "interrupted",
    };
}
