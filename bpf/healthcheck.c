// SPDX-License-Identifier: GPL-2.0
/*
 * healthcheck.c — tc egress on the forwarder's interface: sends health-check probes (`via: vip`)
 * to the VIP exactly as the forwarder sends clients' packets, so that a probe succeeds only when
 * the backend accepts the VIP's traffic and answers it.
 *
 * The prober opens its connection to VIP:port with SO_MARK set to the backend's probe mark. A
 * packet whose mark is in the probe range (PROBE_MARK_BASE, low 16 bits the index) is looked up
 * in `probe_targets` and:
 *   ipip    gets an outer IP header (same family as the inner) from `source` (or, when that is
 *           zero, the probe's own source) to the backend (protocol 4 in IPv4, next header 41 in IPv6);
 *   gue     the same with a UDP header to the GUE port between (GUE variant 1: no GUE header);
 *   dsr-l2  keeps its IP header and gets the backend's MAC as destination.
 * `next_hop` (when not zero) becomes the Ethernet destination of encapsulated packets.
 * A marked packet that cannot be sent that way (no entry, another family, no room) is dropped and
 * counted: it must never reach the VIP through the forwarder, where it would pass for healthy.
 * Every other packet leaves untouched and uncounted.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define MAX_PROBE_TARGETS 4096
#define PROBE_MARK_MASK 0xFFFF0000u
#define PROBE_MARK_BASE 0x4C420000u /* "LB" */

/* Modes shared with src/Forwarder/Health (ProbeEncapsulation). */
enum probe_mode {
	MODE_IPIP = 1,
	MODE_GUE = 2,
	MODE_DSR_L2 = 3,
};

/* Layout shared with src/Forwarder/Health (ProbeTargetEntry): 48 bytes, pad zeroed. */
struct probe_target {
	__u8 mode;         /* enum probe_mode */
	__u8 family;       /* 4 or 6: the backend's (outer) family, which must be the probe's */
	__be16 gue_port;   /* network order; gue only */
	__u8 backend[16];  /* outer destination; IPv4 in the first 4 bytes */
	__u8 source[16];   /* outer source, zero = the probe's own source; IPv4 in the first 4 bytes */
	__u8 mac[6];       /* dsr-l2: the backend's MAC; ipip/gue: the next hop's, or zero to keep the kernel's */
	__u8 pad[2];
};

/* Counter slots shared with src/Forwarder/Health (ProbeCounterSlot): one __u64 each, per CPU. */
enum counter {
	CNT_IPIP = 0,     /* probe packets encapsulated in IP */
	CNT_GUE,          /* probe packets encapsulated in UDP (GUE) */
	CNT_DSR_L2,       /* probe packets sent to the backend's MAC */
	CNT_NO_TARGET,    /* dropped: marked, but no entry for the mark */
	CNT_WRONG_FAMILY, /* dropped: not IP, or not the backend's family */
	CNT_FAILED,       /* dropped: no room for the outer headers, or headers unreadable */
	CNT_MAX,
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_PROBE_TARGETS);
	__type(key, __u32);
	__type(value, struct probe_target);
} probe_targets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} probe_counters SEC(".maps");

static __always_inline int count(__u32 slot, int verdict)
{
	__u64 *value = bpf_map_lookup_elem(&probe_counters, &slot);
	if (value)
		*value += 1;
	return verdict;
}

static __always_inline __u16 ipv4_checksum(struct iphdr *ip)
{
	__u32 sum = bpf_csum_diff(0, 0, (__be32 *)ip, sizeof(*ip), 0);
	sum = (sum & 0xFFFF) + (sum >> 16);
	sum = (sum & 0xFFFF) + (sum >> 16);
	return (__u16)~sum;
}

static __always_inline int set_next_hop(struct __sk_buff *skb, const __u8 *mac)
{
	if (!(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
		return 0;
	return bpf_skb_store_bytes(skb, offsetof(struct ethhdr, h_dest), mac, ETH_ALEN, 0);
}

static __always_inline int encapsulate(struct __sk_buff *skb, const struct probe_target *target, int family)
{
	int gue = target->mode == MODE_GUE;
	__u32 outer_l3 = family == 4 ? sizeof(struct iphdr) : sizeof(struct ipv6hdr);
	__u32 outer = outer_l3 + (gue ? sizeof(struct udphdr) : 0);
	__u64 flags = (family == 4 ? BPF_F_ADJ_ROOM_ENCAP_L3_IPV4 : BPF_F_ADJ_ROOM_ENCAP_L3_IPV6) |
		      (gue ? BPF_F_ADJ_ROOM_ENCAP_L4_UDP : 0);
	__u8 source[16] = {};
	__u32 source_offset = ETH_HLEN + (family == 4 ? offsetof(struct iphdr, saddr) : offsetof(struct ipv6hdr, saddr));
	__builtin_memcpy(source, target->source, 16);
	if (!(source[0] | source[1] | source[2] | source[3]) && family == 4) {
		if (bpf_skb_load_bytes(skb, source_offset, source, 4))
			return -1;
	} else if (family == 6) {
		__u64 *words = (__u64 *)source;
		if (!(words[0] | words[1]) && bpf_skb_load_bytes(skb, source_offset, source, 16))
			return -1;
	}
	if (bpf_skb_adjust_room(skb, outer, BPF_ADJ_ROOM_MAC, flags))
		return -1;
	__u32 total = skb->len - ETH_HLEN;
	if (family == 4) {
		struct iphdr ip = {
			.version = 4,
			.ihl = 5,
			.tot_len = bpf_htons(total),
			.ttl = 64,
			.protocol = gue ? IPPROTO_UDP : IPPROTO_IPIP,
		};
		__builtin_memcpy(&ip.saddr, source, 4);
		__builtin_memcpy(&ip.daddr, target->backend, 4);
		ip.check = ipv4_checksum(&ip);
		if (bpf_skb_store_bytes(skb, ETH_HLEN, &ip, sizeof(ip), 0))
			return -1;
	} else {
		struct ipv6hdr ip6 = {
			.version = 6,
			.payload_len = bpf_htons(total - sizeof(struct ipv6hdr)),
			.nexthdr = gue ? IPPROTO_UDP : IPPROTO_IPV6,
			.hop_limit = 64,
		};
		__builtin_memcpy(&ip6.saddr, source, 16);
		__builtin_memcpy(&ip6.daddr, target->backend, 16);
		if (bpf_skb_store_bytes(skb, ETH_HLEN, &ip6, sizeof(ip6), 0))
			return -1;
	}
	if (gue) {
		/* The source port spreads probes of different connections like the forwarder's own GUE. */
		struct udphdr udp = {
			.source = bpf_htons(0xC000 | (bpf_get_hash_recalc(skb) & 0x3FFF)),
			.dest = target->gue_port,
			.len = bpf_htons(total - outer_l3),
			.check = 0,
		};
		if (bpf_skb_store_bytes(skb, ETH_HLEN + outer_l3, &udp, sizeof(udp), 0))
			return -1;
	}
	return set_next_hop(skb, target->mac);
}

SEC("tc")
int healthcheck_egress(struct __sk_buff *skb)
{
	__u32 mark = skb->mark;
	if ((mark & PROBE_MARK_MASK) != PROBE_MARK_BASE)
		return TC_ACT_OK;
	struct probe_target *target = bpf_map_lookup_elem(&probe_targets, &mark);
	if (!target)
		return count(CNT_NO_TARGET, TC_ACT_SHOT);
	int family = skb->protocol == bpf_htons(ETH_P_IP) ? 4 : skb->protocol == bpf_htons(ETH_P_IPV6) ? 6 : 0;
	if (family == 0 || family != target->family)
		return count(CNT_WRONG_FAMILY, TC_ACT_SHOT);
	switch (target->mode) {
	case MODE_DSR_L2:
		if (bpf_skb_store_bytes(skb, offsetof(struct ethhdr, h_dest), target->mac, ETH_ALEN, 0))
			return count(CNT_FAILED, TC_ACT_SHOT);
		return count(CNT_DSR_L2, TC_ACT_OK);
	case MODE_IPIP:
	case MODE_GUE:
		if (encapsulate(skb, target, family))
			return count(CNT_FAILED, TC_ACT_SHOT);
		return count(target->mode == MODE_GUE ? CNT_GUE : CNT_IPIP, TC_ACT_OK);
	default:
		return count(CNT_FAILED, TC_ACT_SHOT);
	}
}

char _license[] SEC("license") = "GPL";
