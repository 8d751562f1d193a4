namespace AfXdp;

/// <summary>Where the XDP program runs.</summary>
public enum XdpMode
{
    /// <summary>In the driver (XDP_FLAGS_DRV_MODE): the fast path.</summary>
    Native,
    /// <summary>Generic XDP on the skb path (XDP_FLAGS_SKB_MODE): works on any device, slower.</summary>
    Skb,
}
