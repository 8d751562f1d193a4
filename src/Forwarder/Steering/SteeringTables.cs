using AfXdp;

namespace Forwarder.Steering;

/// <summary>
/// Writes a key set into redirect.c's tables (<c>vip_table</c>, <c>nat_table</c>, <c>addr_filter</c>, <c>steer_ctl</c>)
/// so that a frame never sees a half-written one: the buffer frames do not use is rewritten (only the slots that
/// differ from what this writer last put there), the address bitmaps get the new keys' bits on top of the old ones,
/// the new buffer's shape is written, then <c>active</c> flips in one 4-byte write, and only then do the bitmaps
/// lose the bits of keys that left. A key in both the old and the new set is found at every moment.
/// A writer that finds <c>steer_ctl</c> changed by another (the generation it did not write: an upgrade's successor
/// shares these maps) forgets what it knew of their contents and rewrites in full.
/// </summary>
public sealed class SteeringTables
{
    private readonly BpfMap _vipTable, _natTable, _filter, _control;
    private readonly SteeringSlot[]?[] _vipShadow = new SteeringSlot[]?[2], _natShadow = new SteeringSlot[]?[2];
    private ulong[]? _filterShadow;
    private long _generation = -1; // unknown until the first write

    public SteeringTables(BpfMap vipTable, BpfMap natTable, BpfMap filter, BpfMap control)
    {
        _vipTable = vipTable;
        _natTable = natTable;
        _filter = filter;
        _control = control;
    }

    /// <summary>Makes the program steer exactly these keys; throws before writing anything when a set does not fit.</summary>
    public void Steer(IReadOnlyCollection<VipMapKey> vips, IReadOnlyCollection<VipMapKey> natSources)
    {
        SteeringTableLayout vipLayout = SteeringTableLayout.Build(vips, "VIP");
        SteeringTableLayout natLayout = SteeringTableLayout.Build(natSources, "nat backend");
        ulong[] filter = AddressFilter.Of(vips, natSources);

        SteeringControl control = _control.Lookup<uint, SteeringControl>(0);
        if (control.Generation != _generation)
            Forget();
        uint target = 1 - (control.Active & 1);
        WriteSlots(_vipTable, _vipShadow, target, vipLayout.Slots);
        WriteSlots(_natTable, _natShadow, target, natLayout.Slots);
        WriteFilter(Union(filter, _filterShadow ??= ReadFilter()));

        if (target == 0)
        {
            control.Vips0 = vipLayout.Shape;
            control.Nat0 = natLayout.Shape;
        }
        else
        {
            control.Vips1 = vipLayout.Shape;
            control.Nat1 = natLayout.Shape;
        }
        control.Generation = unchecked(control.Generation + 1);
        _control.Update(0u, control); // the live buffer's shape and `active` rewritten unchanged
        control.Active = target;
        _control.Update(0u, control); // the switch: only `active` differs
        _generation = control.Generation;

        WriteFilter(filter);
    }

    private void Forget()
    {
        Array.Clear(_vipShadow);
        Array.Clear(_natShadow);
        _filterShadow = null;
    }

    private static void WriteSlots(BpfMap table, SteeringSlot[]?[] shadows, uint buffer, SteeringSlot[] slots)
    {
        SteeringSlot[]? shadow = shadows[buffer];
        shadows[buffer] = null; // unknown while half-written
        uint first = buffer * SteeringTableLayout.MaxSlots;
        for (int i = 0; i < slots.Length; i++)
        {
            if (shadow is null || i >= shadow.Length || !shadow[i].Equals(slots[i]))
                table.Update(first + (uint)i, slots[i]);
        }
        // Slots past the new size are masked out; a later, larger layout rewrites them as they were left.
        if (shadow is not null && shadow.Length > slots.Length)
        {
            var kept = (SteeringSlot[])shadow.Clone();
            slots.CopyTo(kept, 0);
            slots = kept;
        }
        shadows[buffer] = slots;
    }

    private void WriteFilter(ulong[] words)
    {
        ulong[]? shadow = _filterShadow;
        _filterShadow = null;
        for (int i = 0; i < words.Length; i++)
        {
            if (shadow is null || shadow[i] != words[i])
                _filter.Update((uint)i, words[i]);
        }
        _filterShadow = words;
    }

    private ulong[] ReadFilter()
    {
        var words = new ulong[2 * AddressFilter.Words];
        for (int i = 0; i < words.Length; i++)
            words[i] = _filter.Lookup<uint, ulong>((uint)i);
        return words;
    }

    private static ulong[] Union(ulong[] a, ulong[] b)
    {
        var union = new ulong[a.Length];
        for (int i = 0; i < a.Length; i++)
            union[i] = a[i] | b[i];
        return union;
    }
}
