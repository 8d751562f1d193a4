using System.Runtime.Versioning;
using Forwarder.Hashing;
using Forwarder.Maglev;

namespace Forwarder.Tests.Maglev;

/// <summary>
/// A deliberately plain transcription of Katran's MaglevHash / MaglevHashV2 fills: every probe
/// recomputes <c>(offset + next * skip) % M</c> in uint32 and tests the slot for -1. It shares only the
/// permutation hash with the production builder, so the two can check each other.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class NaiveMaglev
{
    public static int[] Build(IEnumerable<MaglevEndpoint> endpoints, MaglevVersion version, int ringSize)
    {
        var result = Enumerable.Repeat(-1, ringSize).ToArray();
        var ordered = endpoints.Where(e => e.Weight > 0).OrderBy(e => e.Hash).ThenBy(e => e.BackendId).ToArray();
        if (ordered.Length == 0)
        {
            return result;
        }
        if (ordered.Length == 1)
        {
            Array.Fill(result, ordered[0].BackendId);
            return result;
        }

        uint m = (uint)ringSize;
        var offsets = new uint[ordered.Length];
        var skips = new uint[ordered.Length];
        for (int i = 0; i < ordered.Length; i++)
        {
            offsets[i] = (uint)(MurmurHash3.X64Hash64(ordered[i].Hash, 42, 0) % m);
            skips[i] = (uint)(MurmurHash3.X64Hash64(ordered[i].Hash, 2718281828, 2307) % (m - 1)) + 1;
        }
        var next = new uint[ordered.Length];
        var totals = new uint[ordered.Length];
        uint maxWeight = ordered.Max(e => e.Weight);
        uint filled = 0;
        bool firstRound = true;

        while (true)
        {
            for (int i = 0; i < ordered.Length; i++)
            {
                uint claims;
                if (version == MaglevVersion.V2)
                {
                    totals[i] += ordered[i].Weight;
                    if (totals[i] < maxWeight)
                    {
                        continue;
                    }
                    totals[i] -= maxWeight;
                    claims = 1;
                }
                else
                {
                    claims = firstRound ? ordered[i].Weight : 1;
                }

                for (uint claim = 0; claim < claims; claim++)
                {
                    uint current = unchecked(offsets[i] + next[i] * skips[i]) % m;
                    while (result[current] >= 0)
                    {
                        next[i]++;
                        current = unchecked(offsets[i] + next[i] * skips[i]) % m;
                    }
                    result[current] = ordered[i].BackendId;
                    next[i]++;
                    if (++filled == m)
                    {
                        return result;
                    }
                }
            }
            firstRound = false;
        }
    }
}
