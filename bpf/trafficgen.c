// SPDX-License-Identifier: GPL-2.0
/*
 * trafficgen.c — the traffic generator's XDP program, run through BPF_PROG_RUN in live-frames
 * mode (BPF_F_TEST_XDP_LIVE_FRAMES). User space hands the kernel one template frame; the kernel
 * runs this program on a copy of it per repetition, and XDP_TX sends the copy out of the
 * interface named as ingress_ifindex, i.e. onto its veth peer.
 *
 * Each copy gets the next flow of this CPU: the source port walks through `ports` values, and
 * after each full walk the low 32 bits of the source address step by one, `sources` times.
 * So the flows offered are ports × sources distinct 5-tuples.
 *
 * Invariant: the kernel recycles frame pages without restoring their contents, so a copy may hold
 * the template or what an earlier run wrote. The program therefore never reads the fields it
 * rewrites: new values and checksums are computed from the template's values kept in `config`.
 *
 * Supported templates (what the generator builds): Ethernet without VLAN, then IPv4 without
 * options or IPv6 without extension headers, then UDP or TCP.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* Layout shared with bench/TrafficGen (GeneratorConfig): 20 bytes, no padding. */
struct gen_config {
	__u32 ports;         /* source ports per source address, >= 1 */
	__u32 sources;       /* source addresses, >= 1 */
	__u32 base_saddr;    /* template's source address, low 32 bits, network order */
	__be16 base_sport;   /* template's source port */
	__u16 base_ip_csum;  /* template's IPv4 header checksum (as stored) */
	__u16 base_l4_csum;  /* template's UDP/TCP checksum (as stored); IPv4 UDP 0 = none */
	__u16 pad;
};

/* Per-CPU position in the walk over the flows. */
struct gen_state {
	__u32 port_index;
	__u32 source_index;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gen_config);
} config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gen_state);
} state SEC(".maps");

/* Per-CPU frames produced (slot 0), read by bench/TrafficGen for the exact count offered. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* One's-complement sum folded to 16 bits. */
static __always_inline __u16 fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

/*
 * RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'), for a 32-bit field (two 16-bit words) and a 16-bit
 * field changing at once. All values are as stored in the frame, so byte order does not matter.
 */
static __always_inline __u16 csum_replace(__u16 check, __u32 old32, __u32 new32, __u16 old16, __u16 new16)
{
	__u32 sum = (__u16)~check;
	sum += (__u16)~(old32 & 0xffff) + (__u16)~(old32 >> 16);
	sum += (new32 & 0xffff) + (new32 >> 16);
	sum += (__u16)~old16 + new16;
	return (__u16)~fold(sum);
}

/* Next flow of this CPU: (source port, source address low bits), both in network order. */
static __always_inline void next_flow(const struct gen_config *cfg, struct gen_state *st, __be16 *sport, __be32 *saddr)
{
	__u32 port_index = st->port_index;
	__u32 source_index = st->source_index;

	*sport = bpf_htons((__u16)(bpf_ntohs(cfg->base_sport) + port_index));
	*saddr = bpf_htonl(bpf_ntohl(cfg->base_saddr) + source_index);

	if (++port_index >= cfg->ports) {
		port_index = 0;
		if (++source_index >= cfg->sources)
			source_index = 0;
	}
	st->port_index = port_index;
	st->source_index = source_index;
}

/* Writes the new source port and L4 checksum; `l4` is bounds-checked for the header given by proto. */
static __always_inline int rewrite_l4(void *l4, void *data_end, __u8 proto, const struct gen_config *cfg,
				      __be32 saddr, __be16 sport, int checksum_optional)
{
	__u16 *check;

	if (proto == IPPROTO_UDP) {
		struct udphdr *udp = l4;
		if ((void *)(udp + 1) > data_end)
			return -1;
		udp->source = sport;
		check = &udp->check;
		if (checksum_optional && cfg->base_l4_csum == 0)
			return 0;
	} else if (proto == IPPROTO_TCP) {
		struct tcphdr *tcp = l4;
		if ((void *)(tcp + 1) > data_end)
			return -1;
		tcp->source = sport;
		check = &tcp->check;
	} else {
		return -1;
	}
	__u16 sum = csum_replace(cfg->base_l4_csum, cfg->base_saddr, saddr, cfg->base_sport, sport);
	if (proto == IPPROTO_UDP && sum == 0)
		sum = 0xffff; /* 0 means "no checksum" for UDP */
	*check = sum;
	return 0;
}

SEC("xdp")
int xdp_trafficgen(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 zero = 0;
	__be16 sport;
	__be32 saddr;

	struct gen_config *cfg = bpf_map_lookup_elem(&config, &zero);
	struct gen_state *st = bpf_map_lookup_elem(&state, &zero);
	__u64 *frames = bpf_map_lookup_elem(&counters, &zero);
	if (!cfg || !st || !frames)
		return XDP_ABORTED;
	*frames += 1;

	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end)
		return XDP_ABORTED;

	next_flow(cfg, st, &sport, &saddr);

	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);
		if ((void *)(ip + 1) > data_end)
			return XDP_ABORTED;
		__u16 unchanged = 0;
		ip->saddr = saddr;
		ip->check = csum_replace(cfg->base_ip_csum, cfg->base_saddr, saddr, unchanged, unchanged);
		if (rewrite_l4(ip + 1, data_end, ip->protocol, cfg, saddr, sport, 1) < 0)
			return XDP_ABORTED;
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);
		if ((void *)(ip6 + 1) > data_end)
			return XDP_ABORTED;
		ip6->saddr.in6_u.u6_addr32[3] = saddr;
		if (rewrite_l4(ip6 + 1, data_end, ip6->nexthdr, cfg, saddr, sport, 0) < 0)
			return XDP_ABORTED;
	} else {
		return XDP_ABORTED;
	}
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
