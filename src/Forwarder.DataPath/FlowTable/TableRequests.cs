namespace Forwarder.FlowTable;

/// <summary>
/// The mailbox through which the control plane asks a <see cref="ConnectionTable"/>'s worker for work only the
/// owner may do (today: a <see cref="PurgeRequest"/>). At most one request is pending per table. The control
/// plane posts with one compare-and-swap and then polls the request's <c>Done</c> with a timeout; the worker
/// reads the slot once per batch and per idle poll (<see cref="ConnectionTable.ServeRequests"/>) — one
/// volatile load when it is empty — does a bounded slice of the work and, when the work is finished,
/// publishes the result and empties the slot. The worker never waits for the control plane, and the control
/// plane never writes the table.
/// </summary>
public sealed class TableRequests
{
    private PurgeRequest? _pending;

    /// <summary>The request the worker is carrying out, if any.</summary>
    internal PurgeRequest? Pending => Volatile.Read(ref _pending);

    /// <summary>Posts <paramref name="request"/>; false when another one is still pending (try again when it is done).</summary>
    public bool TryPost(PurgeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Posted || Interlocked.CompareExchange(ref _pending, request, null) is not null)
            return false;
        request.Posted = true;
        return true;
    }

    /// <summary>The worker's: empties the slot once <paramref name="request"/> is done.</summary>
    internal void Complete(PurgeRequest request)
    {
        request.Finish();
        Volatile.Write(ref _pending, null);
    }
}
