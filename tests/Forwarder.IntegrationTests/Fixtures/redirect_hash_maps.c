// SPDX-License-Identifier: GPL-2.0
/*
 * Test fixture: bpf/redirect.c as it was before the steering tables (hash maps `vips` and `nat_sources`), the map
 * layout a forwarder of an older release leaves attached. The start-up tests attach it and check that a forwarder of
 * this release replaces it rather than adopting its maps. Not shipped with the forwarder.
 */
/*
 * redirect.c — steers VIP traffic into AF_XDP sockets, passes everything else.
 *
 * A frame is redirected when its destination matches a VIP entry that user space put in `vips`:
 *   TCP/UDP, not fragmented:  (daddr, dport, proto), then (daddr, 0, proto)  — port 0 = any port
 *   fragments, ICMP, ICMPv6:  (daddr, 0, 0) — the address-level entry user space adds per VIP address,
 *                             so the load balancer sees (and counts) them instead of the host stack.
 * Redirection goes through xsks_map by rx queue with XDP_PASS as the fallback: a queue without a
 * bound socket hands its frames to the kernel instead of dropping them.
 * Replies of `nat` backends are steered too, by their source, so user space can rewrite it back to the VIP:
 *   TCP/UDP, not fragmented:  (saddr, sport, proto), then (saddr, 0, proto) in `nat_sources`
 *   ICMP/ICMPv6 errors:       (saddr, 0, 0) in `nat_sources` (echo and other ICMP of a backend pass)
 * unless they are addressed to this host: a packet from a nat backend whose destination is in `host_addrs`
 * (every address of this network namespace, kept current by user space) answers the host itself — a health
 * probe, ssh, DNS, an ICMP error about the host's own datagram — and goes to the kernel, counted as
 * CNT_HOST_PASSED. Only packets from nat backends pay for this lookup; VIP traffic never does.
 * Everything else (ARP, SSH, pings to the host, malformed frames) goes to the kernel untouched.
 * All load-balancing logic lives in user space; this program only classifies and counts.
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

#define MAX_QUEUES 256
#define MAX_VIPS 65536
#define MAX_IPV6_EXT_HEADERS 6
#define MAX_HOST_ADDRS 4096

#ifndef ETH_P_8021AD
#define ETH_P_8021AD 0x88A8
#endif

/* Layout shared with src/Forwarder (VipMapKey): 20 bytes, no padding. */
struct vip_key {
	__u8 addr[16]; /* IPv4 in the first 4 bytes, rest zero */
	__be16 port;   /* network order; 0 = any port */
	__u8 proto;    /* IPPROTO_TCP / IPPROTO_UDP; 0 = address-level entry */
	__u8 family;   /* 4 or 6 */
};

/* Counter slots shared with src/Forwarder/Hosting (RedirectCounters): one __u64 each, per CPU. */
enum counter {
	CNT_SEEN = 0,       /* every frame the program ran on */
	CNT_REDIRECTED,     /* VIP frames handed to an AF_XDP socket */
	CNT_PASSED,         /* non-VIP frames handed to the kernel */
	CNT_MALFORMED,      /* truncated or inconsistent headers, handed to the kernel */
	CNT_NO_SOCKET,      /* VIP frames on a queue with no socket, handed to the kernel */
	CNT_HOST_PASSED,    /* frames from a nat backend to one of this host's addresses, handed to the kernel */
	CNT_MAX,
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_VIPS);
	__type(key, struct vip_key);
	__type(value, __u32);
} vips SEC(".maps");

/* Same key, matched against the source: the backends of nat VIPs, whose replies go back through us. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_VIPS);
	__type(key, struct vip_key);
	__type(value, __u32);
} nat_sources SEC(".maps");

/* This host's own addresses, as address-level keys (port 0, proto 0): what nat backends send there is not a reply. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_HOST_ADDRS);
	__type(key, struct vip_key);
	__type(value, __u32);
} host_addrs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, MAX_QUEUES);
	__type(key, __u32);
	__type(value, __u32);
} xsks_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

static __always_inline void count(__u32 slot)
{
	__u64 *value = bpf_map_lookup_elem(&counters, &slot);
	if (value)
		*value += 1;
}

static __always_inline int pass(__u32 slot)
{
	count(slot);
	return XDP_PASS;
}

/* The destination (in `key`) is one of this host's addresses; clears key's port and protocol. */
static __always_inline int to_host(struct vip_key *key)
{
	key->port = 0;
	key->proto = 0;
	return bpf_map_lookup_elem(&host_addrs, key) != 0;
}

static __always_inline int is_fragment_v4(const struct iphdr *ip)
{
	return (ip->frag_off & bpf_htons(0x3FFF)) != 0; /* MF set or offset non-zero */
}

/* ICMP destination unreachable (v4 type 3), ICMPv6 destination unreachable (1) or packet too big (2). */
static __always_inline int is_icmp_error(__u8 proto, __u8 type)
{
	return (proto == IPPROTO_ICMP && type == 3) || (proto == IPPROTO_ICMPV6 && (type == 1 || type == 2));
}

static __always_inline int is_ipv6_ext_header(__u8 next)
{
	return next == IPPROTO_HOPOPTS || next == IPPROTO_ROUTING || next == IPPROTO_DSTOPTS ||
	       next == IPPROTO_FRAGMENT;
}

SEC("xdp")
int xdp_redirect_vip(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct vip_key key = {};
	struct vip_key source = {};
	int fragment = 0;
	__u8 l4proto;
	void *l4;

	count(CNT_SEEN);

	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end)
		return pass(CNT_MALFORMED);
	__be16 ethertype = eth->h_proto;
	void *l3 = eth + 1;
	if (ethertype == bpf_htons(ETH_P_8021Q) || ethertype == bpf_htons(ETH_P_8021AD)) {
		/* one VLAN tag: 2 bytes TCI, 2 bytes inner ethertype */
		__be16 *tag = l3;
		if ((void *)(tag + 2) > data_end)
			return pass(CNT_MALFORMED);
		ethertype = tag[1];
		l3 = tag + 2;
	}

	if (ethertype == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = l3;
		if ((void *)(ip + 1) > data_end)
			return pass(CNT_MALFORMED);
		if (ip->ihl < 5 || ip->version != 4)
			return pass(CNT_MALFORMED);
		l4 = (void *)ip + ip->ihl * 4;
		l4proto = ip->protocol;
		fragment = is_fragment_v4(ip);
		key.family = 4;
		__builtin_memcpy(key.addr, &ip->daddr, 4);
		source.family = 4;
		__builtin_memcpy(source.addr, &ip->saddr, 4);
	} else if (ethertype == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = l3;
		if ((void *)(ip6 + 1) > data_end)
			return pass(CNT_MALFORMED);
		l4 = ip6 + 1;
		l4proto = ip6->nexthdr;
		key.family = 6;
		__builtin_memcpy(key.addr, &ip6->daddr, 16);
		source.family = 6;
		__builtin_memcpy(source.addr, &ip6->saddr, 16);
#pragma unroll
		for (int i = 0; i < MAX_IPV6_EXT_HEADERS; i++) {
			if (!is_ipv6_ext_header(l4proto))
				break;
			__u8 *ext = l4;
			if ((void *)(ext + 8) > data_end)
				return pass(CNT_MALFORMED);
			if (l4proto == IPPROTO_FRAGMENT) {
				fragment = 1;
				l4proto = ext[0];
				l4 = ext + 8;
				break; /* what follows may not be in this fragment */
			}
			l4proto = ext[0];
			l4 = ext + (ext[1] + 1) * 8;
		}
	} else {
		return pass(CNT_PASSED);
	}

	if (!fragment && (l4proto == IPPROTO_TCP || l4proto == IPPROTO_UDP)) {
		/* source and destination ports are the first 4 bytes of both headers */
		__be16 *ports = l4;
		if ((void *)(ports + 2) > data_end)
			return pass(CNT_MALFORMED);
		key.proto = l4proto;
		key.port = ports[1];
		if (!bpf_map_lookup_elem(&vips, &key)) {
			key.port = 0;
			if (!bpf_map_lookup_elem(&vips, &key)) {
				source.proto = l4proto;
				source.port = ports[0];
				if (!bpf_map_lookup_elem(&nat_sources, &source)) {
					source.port = 0;
					if (!bpf_map_lookup_elem(&nat_sources, &source))
						return pass(CNT_PASSED);
				}
				if (to_host(&key))
					return pass(CNT_HOST_PASSED);
			}
		}
	} else if (fragment || l4proto == IPPROTO_ICMP || l4proto == IPPROTO_ICMPV6) {
		/* address-level entries: key.proto and key.port stay 0 */
		if (!bpf_map_lookup_elem(&vips, &key)) {
			__u8 *icmp = l4;
			if (fragment || (void *)(icmp + 1) > data_end || !is_icmp_error(l4proto, icmp[0]) ||
			    !bpf_map_lookup_elem(&nat_sources, &source))
				return pass(CNT_PASSED);
			if (to_host(&key))
				return pass(CNT_HOST_PASSED);
		}
	} else {
		return pass(CNT_PASSED);
	}

	int action = bpf_redirect_map(&xsks_map, ctx->rx_queue_index, XDP_PASS);
	count(action == XDP_REDIRECT ? CNT_REDIRECTED : CNT_NO_SOCKET);
	return action;
}

char LICENSE[] SEC("license") = "GPL";
