// SPDX-License-Identifier: GPL-2.0
/*
 * decap.c — runs on a backend: strips the load balancer's encapsulation and hands the inner
 * packet to the kernel stack, for hosts without the ipip, ip6_tunnel or fou modules.
 *
 * Decapsulated (outer IPv4 without fragmentation, or outer IPv6 without extension headers):
 *   ipip  outer protocol / next header 4 (IPv4 inside) or 41 (IPv6 inside), any outer family;
 *   gue   outer UDP to the configured port whose payload is directly the inner IP packet
 *         (GUE variant 1: the payload's first nibble, the IP version, is 4 or 6). GUE variant 0
 *         (a GUE header before the payload, first two bits 00) is not supported and left alone.
 * The outer header must be addressed to an accepted destination (`destinations`, filled by
 * `forwarder decap attach`) unless the configuration accepts any. The inner header must be
 * complete and fit in the frame; its checksums are left to the stack.
 *
 * Stripping keeps the Ethernet addresses and the VLAN tag, and sets the (inner) ethertype to
 * the inner family. Every verdict is XDP_PASS: what is not decapsulated reaches the stack as it
 * came, so ARP, neighbour discovery and ordinary traffic are unaffected. Each frame is counted
 * under exactly one counter.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define MAX_DESTINATIONS 1024

#ifndef ETH_P_8021AD
#define ETH_P_8021AD 0x88A8
#endif

#define CONFIG_ANY_DESTINATION 1

/* Layout shared with src/Forwarder/Decap (DecapSettings): 4 bytes. */
struct decap_config {
	__be16 gue_port; /* network order; 0 = GUE off */
	__u16 flags;     /* CONFIG_ANY_DESTINATION */
};

/* Layout shared with src/Forwarder/Decap (DecapDestinationKey): 20 bytes, pad zeroed. */
struct decap_destination {
	__u8 addr[16]; /* IPv4 in the first 4 bytes, rest zero */
	__u8 family;   /* 4 or 6 */
	__u8 pad[3];
};

/* Counter slots shared with src/Forwarder/Decap (DecapCounterSlot): one __u64 each, per CPU. */
enum counter {
	CNT_DECAP_IPIP = 0, /* ipip / ip6ip6 / ip4-in-ip6 / ip6-in-ip4 stripped */
	CNT_DECAP_GUE,      /* GUE variant 1 stripped */
	CNT_NOT_ACCEPTED,   /* encapsulated, but to an outer destination not accepted */
	CNT_UNSUPPORTED,    /* to the GUE port but not variant 1, or an ipip fragment */
	CNT_PASSED,         /* not encapsulated */
	CNT_MALFORMED,      /* truncated or inconsistent headers */
	CNT_MAX,
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct decap_config);
} config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_DESTINATIONS);
	__type(key, struct decap_destination);
	__type(value, __u32);
} destinations SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* The Ethernet header with one optional VLAN tag, saved across bpf_xdp_adjust_head. */
struct l2_header {
	__u8 dest[ETH_ALEN];
	__u8 source[ETH_ALEN];
	__be16 proto;      /* ETH_P_8021Q / ETH_P_8021AD when tagged, else the L3 ethertype */
	__be16 vlan_tci;   /* tagged only */
	__be16 vlan_proto; /* tagged only: the L3 ethertype */
};

static __always_inline int pass(__u32 slot)
{
	__u64 *value = bpf_map_lookup_elem(&counters, &slot);
	if (value)
		*value += 1;
	return XDP_PASS;
}

/* The inner header is complete and its length fits in what is left of the frame. */
static __always_inline int inner_is_sound(void *inner, void *data_end, int version)
{
	if (version == 4) {
		struct iphdr *ip = inner;
		if ((void *)(ip + 1) > data_end || ip->version != 4 || ip->ihl < 5)
			return 0;
		__u16 total = bpf_ntohs(ip->tot_len);
		return total >= ip->ihl * 4 && inner + total <= data_end;
	}
	struct ipv6hdr *ip6 = inner;
	if ((void *)(ip6 + 1) > data_end || ip6->version != 6)
		return 0;
	return (void *)(ip6 + 1) + bpf_ntohs(ip6->payload_len) <= data_end;
}

/* Removes `outer_len` bytes after the L2 header and rewrites the L2 header in front of the inner packet. */
static __always_inline int strip(struct xdp_md *ctx, struct l2_header *l2, int tagged, int outer_len, int inner_version)
{
	__be16 ethertype = inner_version == 4 ? bpf_htons(ETH_P_IP) : bpf_htons(ETH_P_IPV6);
	if (tagged)
		l2->vlan_proto = ethertype;
	else
		l2->proto = ethertype;

	if (bpf_xdp_adjust_head(ctx, outer_len))
		return 0;
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	if (tagged) {
		if (data + sizeof(*l2) > data_end)
			return 0;
		__builtin_memcpy(data, l2, sizeof(*l2));
	} else {
		if (data + ETH_HLEN > data_end)
			return 0;
		__builtin_memcpy(data, l2, ETH_HLEN);
	}
	return 1;
}

SEC("xdp")
int xdp_decap(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct decap_destination destination = {};
	struct l2_header l2 = {};
	int tagged = 0;
	int outer_len;
	__u8 proto;
	void *l3;

	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end)
		return pass(CNT_MALFORMED);
	__be16 ethertype = eth->h_proto;
	l3 = eth + 1;
	if (ethertype == bpf_htons(ETH_P_8021Q) || ethertype == bpf_htons(ETH_P_8021AD)) {
		__be16 *tag = l3; /* 2 bytes TCI, 2 bytes inner ethertype */
		if ((void *)(tag + 2) > data_end)
			return pass(CNT_MALFORMED);
		ethertype = tag[1];
		l3 = tag + 2;
		tagged = 1;
	}

	int fragment = 0;
	if (ethertype == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = l3;
		if ((void *)(ip + 1) > data_end)
			return pass(CNT_MALFORMED);
		if (ip->version != 4 || ip->ihl < 5)
			return pass(CNT_MALFORMED);
		outer_len = ip->ihl * 4;
		proto = ip->protocol;
		fragment = (ip->frag_off & bpf_htons(0x3FFF)) != 0; /* MF set or offset non-zero */
		destination.family = 4;
		__builtin_memcpy(destination.addr, &ip->daddr, 4);
	} else if (ethertype == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = l3;
		if ((void *)(ip6 + 1) > data_end)
			return pass(CNT_MALFORMED);
		outer_len = sizeof(*ip6);
		proto = ip6->nexthdr; /* extension headers (fragments included) end up "not encapsulated" */
		destination.family = 6;
		__builtin_memcpy(destination.addr, &ip6->daddr, 16);
	} else {
		return pass(CNT_PASSED);
	}

	if (fragment) /* only the first fragment holds the inner header: leave them all to the stack */
		return pass(proto == IPPROTO_IPIP || proto == IPPROTO_IPV6 ? CNT_UNSUPPORTED : CNT_PASSED);

	__u32 zero = 0;
	struct decap_config *cfg = bpf_map_lookup_elem(&config, &zero);
	if (!cfg)
		return pass(CNT_PASSED);

	int counter;
	int inner_version;
	if (proto == IPPROTO_IPIP || proto == IPPROTO_IPV6) {
		counter = CNT_DECAP_IPIP;
		inner_version = proto == IPPROTO_IPIP ? 4 : 6;
	} else if (proto == IPPROTO_UDP && cfg->gue_port != 0) {
		struct udphdr *udp = l3 + outer_len;
		if ((void *)(udp + 1) > data_end)
			return pass(CNT_MALFORMED);
		if (udp->dest != cfg->gue_port)
			return pass(CNT_PASSED);
		__u8 *first = (void *)(udp + 1);
		if ((void *)(first + 1) > data_end)
			return pass(CNT_MALFORMED);
		inner_version = *first >> 4;
		if (inner_version != 4 && inner_version != 6)
			return pass(CNT_UNSUPPORTED);
		counter = CNT_DECAP_GUE;
		outer_len += sizeof(*udp);
	} else {
		return pass(CNT_PASSED);
	}

	if (!(cfg->flags & CONFIG_ANY_DESTINATION) && !bpf_map_lookup_elem(&destinations, &destination))
		return pass(CNT_NOT_ACCEPTED);

	if (!inner_is_sound(l3 + outer_len, data_end, inner_version))
		return pass(CNT_MALFORMED);

	if (tagged) {
		if (data + sizeof(l2) > data_end)
			return pass(CNT_MALFORMED);
		__builtin_memcpy(&l2, data, sizeof(l2));
	} else {
		__builtin_memcpy(&l2, data, ETH_HLEN);
	}
	if (!strip(ctx, &l2, tagged, outer_len, inner_version))
		return pass(CNT_MALFORMED);
	return pass(counter);
}

char LICENSE[] SEC("license") = "GPL";
