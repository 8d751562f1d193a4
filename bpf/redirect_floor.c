// SPDX-License-Identifier: GPL-2.0
/*
 * redirect_floor.c — the least an AF_XDP steering program can do: redirect every frame to the socket
 * of its rx queue, XDP_PASS when there is none. No parsing, no VIP lookup, no counter.
 *
 * Not used by the forwarder: the micro-benchmarks (bench/Forwarder.Benchmarks/Steering) run it beside
 * redirect.c under BPF_PROG_RUN as the same-run floor, so redirect.c's own cost is its figure minus this one.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define MAX_QUEUES 256

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, MAX_QUEUES);
	__type(key, __u32);
	__type(value, __u32);
} xsks_map SEC(".maps");

SEC("xdp")
int xdp_redirect_floor(struct xdp_md *ctx)
{
	return bpf_redirect_map(&xsks_map, ctx->rx_queue_index, XDP_PASS);
}

char LICENSE[] SEC("license") = "GPL";
