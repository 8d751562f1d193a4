namespace Forwarder.Maglev;

// Maglev tables, the way Katran builds them
// =========================================
//
// A Maglev table maps each of M slots (M prime) to one backend; a flow whose hash is h goes to the
// backend in slot h % M. Every node that load-balances the same VIP must hold the same table, or a
// flow would reach different backends depending on which node ECMP picked. Hence the invariants:
//
// 1. The table is a pure function of the set of (backend id, weight, endpoint hash) and M. The
//    order in which endpoints are given does not matter: they are sorted by endpoint hash first
//    (Katran sorts the same way), ties broken by backend id so that even a 64-bit collision is
//    deterministic. Weight-0 endpoints are left out before anything else happens.
//
// 2. Every slot is filled exactly once. Each endpoint walks its own preference list (a permutation
//    of the slots, see MaglevPermutation) and claims the first slot on it that nobody has taken.
//    Because M is prime and 1 <= skip < M, a list visits every slot, so a claim always succeeds
//    while any slot is free. The fill stops the moment the M-th slot is claimed, in the middle of a
//    round if need be: which endpoint gets the last slots is part of the result.
//
// 3. The rounds decide the shares. V2 (our default and Katran's example server's; Katran's library
//    defaults to V1) gives every endpoint a running total; each round it adds its weight, and when
//    the total reaches the largest weight it subtracts that weight and claims one slot. An endpoint
//    of the largest weight claims every round, one of half that weight every other round, and so on:
//    shares are proportional to weights. V1 lets endpoint i claim weight[i] slots in the first round
//    and one per round after, so its weights only matter while the first round lasts.
//
// 4. Small changes move few flows. Removing one of N backends frees its ~M/N slots; the survivors'
//    preference lists are unchanged, so they mostly take back exactly those slots, and a slot rarely
//    moves between two surviving backends.
//
// Katran's arithmetic is reproduced to the bit, including the uint32 wrap of offset + next * skip
// on large rings (MaglevSlotFiller explains how that is kept cheap). Zero endpoints give no table
// at all (callers drop and count); one endpoint owns every slot.

/// <summary>
/// Builds Katran-compatible Maglev tables. Runs on the control plane, never on the data path;
/// validates its input and throws <see cref="ArgumentException"/> for bad input.
/// </summary>
public static class MaglevBuilder
{
    private static readonly IComparer<MaglevEndpoint> ByBackendId =
        Comparer<MaglevEndpoint>.Create(static (x, y) => x.BackendId.CompareTo(y.BackendId));

    /// <summary>
    /// The table for <paramref name="endpoints"/>, or <c>null</c> when none has a positive weight
    /// (there is nothing to send flows to).
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The ring size is not a valid prime, a backend id is negative or repeated, or a weight is above
    /// <see cref="MaglevEndpoint.MaxWeight"/>.
    /// </exception>
    public static MaglevTable? Build(
        ReadOnlySpan<MaglevEndpoint> endpoints,
        MaglevVersion version = MaglevVersion.V2,
        int ringSize = MaglevRingSize.Default)
    {
        MaglevRingSize.Validate(ringSize);
        if (version is not (MaglevVersion.V1 or MaglevVersion.V2))
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "Unknown Maglev version.");
        }
        MaglevEndpoint[] ordered = ValidateAndOrder(endpoints);
        if (ordered.Length == 0)
        {
            return null;
        }

        int[] slots;
        if (ordered.Length == 1)
        {
            slots = new int[ringSize];
            Array.Fill(slots, ordered[0].BackendId);
        }
        else
        {
            slots = version == MaglevVersion.V2 ? FillV2(ordered, ringSize) : FillV1(ordered, ringSize);
        }
        return new MaglevTable(slots, version);
    }

    /// <summary>Checks every endpoint, drops weight 0 and sorts by (endpoint hash, backend id).</summary>
    private static MaglevEndpoint[] ValidateAndOrder(ReadOnlySpan<MaglevEndpoint> endpoints)
    {
        var seenIds = new HashSet<int>();
        var kept = new List<MaglevEndpoint>(endpoints.Length);
        foreach (MaglevEndpoint endpoint in endpoints)
        {
            if (endpoint.BackendId < 0)
            {
                throw new ArgumentException($"Backend id {endpoint.BackendId} is negative.", nameof(endpoints));
            }
            if (!seenIds.Add(endpoint.BackendId))
            {
                throw new ArgumentException($"Backend id {endpoint.BackendId} appears more than once.", nameof(endpoints));
            }
            if (endpoint.Weight > MaglevEndpoint.MaxWeight)
            {
                throw new ArgumentException(
                    $"Backend {endpoint.BackendId} has weight {endpoint.Weight}, above the maximum {MaglevEndpoint.MaxWeight}.",
                    nameof(endpoints));
            }
            if (endpoint.Weight > 0)
            {
                kept.Add(endpoint);
            }
        }

        MaglevEndpoint[] ordered = kept.ToArray();
        var hashes = new ulong[ordered.Length];
        for (int i = 0; i < ordered.Length; i++)
        {
            hashes[i] = ordered[i].Hash;
        }
        Array.Sort(hashes, ordered); // Sorting by primitive keys is several times faster than by a comparison.

        // Equal hashes (a 64-bit collision) follow backend id, so the order never depends on the input's.
        int start = 0;
        while (start < ordered.Length)
        {
            int end = start + 1;
            while (end < ordered.Length && hashes[end] == hashes[start])
            {
                end++;
            }
            if (end - start > 1)
            {
                Array.Sort(ordered, start, end - start, ByBackendId);
            }
            start = end;
        }
        return ordered;
    }

    private static MaglevSlotFiller CreateFiller(MaglevEndpoint[] ordered, int ringSize)
    {
        var permutations = new MaglevPermutation[ordered.Length];
        var backendIds = new int[ordered.Length];
        for (int i = 0; i < ordered.Length; i++)
        {
            permutations[i] = MaglevPermutation.For(ordered[i].Hash, ringSize);
            backendIds[i] = ordered[i].BackendId;
        }
        return new MaglevSlotFiller(ringSize, permutations, backendIds);
    }

    /// <summary>Katran's MaglevHashV2 fill: claim a slot each time the running weight reaches the largest weight.</summary>
    private static int[] FillV2(MaglevEndpoint[] ordered, int ringSize)
    {
        MaglevSlotFiller filler = CreateFiller(ordered, ringSize);
        var weights = new uint[ordered.Length];
        uint maxWeight = 0;
        for (int i = 0; i < ordered.Length; i++)
        {
            weights[i] = ordered[i].Weight;
            maxWeight = Math.Max(maxWeight, weights[i]);
        }

        // Totals stay below maxWeight between rounds, so total + weight < 2^32 for weights up to int.MaxValue.
        var totals = new uint[ordered.Length];
        while (true)
        {
            for (int i = 0; i < weights.Length; i++)
            {
                totals[i] += weights[i];
                if (totals[i] >= maxWeight)
                {
                    totals[i] -= maxWeight;
                    if (filler.Claim(i))
                    {
                        return filler.Slots;
                    }
                }
            }
        }
    }

    /// <summary>Katran's MaglevHash (V1) fill: weight[i] claims in the first round, one per round after.</summary>
    private static int[] FillV1(MaglevEndpoint[] ordered, int ringSize)
    {
        MaglevSlotFiller filler = CreateFiller(ordered, ringSize);
        for (int i = 0; i < ordered.Length; i++)
        {
            for (uint claim = 0; claim < ordered[i].Weight; claim++)
            {
                if (filler.Claim(i))
                {
                    return filler.Slots;
                }
            }
        }
        while (true)
        {
            for (int i = 0; i < ordered.Length; i++)
            {
                if (filler.Claim(i))
                {
                    return filler.Slots;
                }
            }
        }
    }
}
