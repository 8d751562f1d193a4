namespace Forwarder.Configuration;

/// <summary>
/// A VIP's use of the workers' connection tables (<c>flow_table</c>): <see cref="Remember"/> (the default) looks each
/// flow up and remembers new ones; <see cref="Bypass"/> (Katran's F_LRU_BYPASS) forwards every flow by Maglev alone,
/// never looking it up nor remembering it — for services whose flows are short or many and gain nothing from the table.
/// Without <c>--flow-table</c> every VIP is stateless and this changes nothing.
/// </summary>
public enum VipFlowTable
{
    Remember,
    Bypass,
}
