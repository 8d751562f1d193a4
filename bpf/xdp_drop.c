// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_drop.c — kernel baseline and packet sink: counts every frame, then drops it.
 * The cheapest thing a receiver can do; bench/e2e.sh measures rates with its counters.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* Counter slots shared with bench/TrafficGen (SinkCounters): one __u64 each, per CPU. */
enum counter {
	CNT_PACKETS = 0,
	CNT_BYTES,
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
int xdp_drop_count(struct xdp_md *ctx)
{
	count(CNT_PACKETS, 1);
	count(CNT_BYTES, ctx->data_end - ctx->data);
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
