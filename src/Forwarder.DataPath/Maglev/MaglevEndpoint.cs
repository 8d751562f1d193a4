using System.Net;
using Forwarder.Hashing;

namespace Forwarder.Maglev;

/// <summary>
/// One backend as the Maglev fill sees it (Katran's <c>Endpoint</c>): the id stored in the table's
/// slots, its weight (0 keeps it out of the table) and the 64-bit hash of its address that decides
/// its preferred slots.
/// </summary>
/// <param name="BackendId">What the table's slots hold for this backend; not negative.</param>
/// <param name="Weight">Relative share of slots; at most <see cref="MaxWeight"/>.</param>
/// <param name="Hash">The endpoint hash, normally <see cref="EndpointHash.Hash(IPAddress)"/> of the backend's address.</param>
public readonly record struct MaglevEndpoint(int BackendId, uint Weight, ulong Hash)
{
    /// <summary>The largest weight: Katran keeps the largest weight in an <c>int</c>.</summary>
    public const uint MaxWeight = int.MaxValue;

    /// <summary>The endpoint for a backend at <paramref name="address"/>, hashed as Katran hashes reals.</summary>
    public static MaglevEndpoint ForAddress(int backendId, IPAddress address, uint weight = 1) =>
        new(backendId, weight, EndpointHash.Hash(address));
}
