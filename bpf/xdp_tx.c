// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_tx.c — kernel baseline for a one-armed forwarder: swaps the Ethernet addresses and sends
 * the frame back out of the interface it came in on (XDP_TX). Counts what it sends.
 * Frames too short for an Ethernet header are counted and dropped.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

/* Counter slots shared with bench/TrafficGen (SinkCounters): one __u64 each, per CPU. */
enum counter {
	CNT_PACKETS = 0, /* frames sent back */
	CNT_BYTES,
	CNT_SHORT,       /* frames dropped: shorter than an Ethernet header */
	CNT_MAX,
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

static __always_inline void count(__u32 slot, __u64 amount)
{
	__u64 *value = bpf_map_lookup_elem(&counters, &slot);
	if (value)
		*value += amount;
}

SEC("xdp")
int xdp_tx_swap(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	unsigned char mac[ETH_ALEN];

	if ((void *)(eth + 1) > data_end) {
		count(CNT_SHORT, 1);
		return XDP_DROP;
	}
	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);
	count(CNT_PACKETS, 1);
	count(CNT_BYTES, data_end - data);
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
