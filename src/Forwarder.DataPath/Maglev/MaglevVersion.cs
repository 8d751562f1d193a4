namespace Forwarder.Maglev;

/// <summary>Which of Katran's Maglev fills builds the table.</summary>
public enum MaglevVersion : byte
{
    /// <summary>
    /// Katran's <c>MaglevHash</c>: endpoint i claims <c>weight[i]</c> slots in the first round and one
    /// slot per round after that, so weights only shape the first round. The default of Katran's library.
    /// </summary>
    V1 = 1,

    /// <summary>
    /// Katran's <c>MaglevHashV2</c>: each round an endpoint claims a slot only when its accumulated weight
    /// reaches the largest weight, so slot counts are proportional to weights. Forwarder's default, and
    /// the choice of Katran's example server.
    /// </summary>
    V2 = 2,
}
