namespace Forwarder.Api;

/// <summary>The liveness device in <c>GET /status</c> and the answer of <c>POST /drain</c>.</summary>
/// <param name="DrainSeconds">Seconds since the drain started; null while not draining.</param>
public sealed record LivenessStatus(string Device, bool DeviceUp, bool Draining, long WatchdogStalls, bool WatchdogWithdrawn, double? DrainSeconds, string? DrainTrigger)
{
    public static LivenessStatus? Of(Liveness.LivenessReading? reading) => reading is null ? null :
        new(reading.Device, reading.DeviceUp, reading.Draining, reading.WatchdogStalls, reading.WatchdogWithdrawn, reading.DrainSeconds, reading.DrainTrigger);
}
