// SPDX-License-Identifier: GPL-2.0
/*
 * redirect.c — steers VIP traffic into AF_XDP sockets, passes everything else.
 *
 * A frame is redirected when its destination matches a VIP key that user space put in `vip_table`:
 *   TCP/UDP, not fragmented:  (daddr, dport, proto), then (daddr, 0, proto)  — port 0 = any port
 *   fragments, ICMP, ICMPv6:  (daddr, 0, 0) — the address-level key user space adds per VIP address,
 *                             so the load balancer sees (and counts) them instead of the host stack.
 * Redirection goes through xsks_map by rx queue with XDP_PASS as the fallback: a queue without a
 * bound socket hands its frames to the kernel instead of dropping them.
 * Replies of `nat` backends are steered too, by their source, so user space can rewrite it back to the VIP:
 *   TCP/UDP, not fragmented:  (saddr, sport, proto), then (saddr, 0, proto) in `nat_table`
 *   ICMP/ICMPv6 errors:       (saddr, 0, 0) in `nat_table` (echo and other ICMP of a backend pass)
 * unless they are addressed to this host: a packet from a nat backend whose destination is in `host_addrs`
 * (every address of this network namespace, kept current by user space) answers the host itself — a health
 * probe, ssh, DNS, an ICMP error about the host's own datagram — and goes to the kernel, counted as
 * CNT_HOST_PASSED. Only packets from nat backends to an address whose host bitmap bit is set pay for this
 * lookup; VIP traffic never does.
 * Everything else (ARP, SSH, pings to the host, malformed frames) goes to the kernel untouched.
 * All load-balancing logic lives in user space; this program only classifies and counts.
 *
 * How a key is found (user space builds both structures: src/Forwarder/Steering/SteeringTable*.cs):
 *   addr_filter  one bitmap per direction (destinations of VIPs, sources of nat backends), a bit per hash of
 *                an address (maybe_listed): a clear bit means "no key has this address", and the frame passes
 *                without touching a table. User space sets the bit of every key: no false negatives; a false
 *                positive costs only the probe. A third bitmap, of this host's addresses (HostAddressBits), stands
 *                in front of the host_addrs lookup a nat backend's packet makes.
 *   vip_table,   open-addressed tables in ARRAY maps, two buffers each. A key sits within PROBES slots of
 *   nat_table    slot_hash(key, seed) & mask (linear probing, no deletions); an empty slot (family 0) ends a
 *                probe. User space rebuilds the buffer not in use, then switches `steer_ctl.active` with one
 *                aligned 4-byte write: a frame never sees a half-written table.
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
#define MAX_IPV6_EXT_HEADERS 6
#define MAX_HOST_ADDRS 4096
#define TABLE_SLOTS 131072 /* slots of one buffer; user space uses a power of two up to this */
#define PROBES 8           /* a key sits at most PROBES - 1 slots after its hash */
#define FILTER_WORDS 1024  /* 65536 bits per direction */
#define FILTER_NAT FILTER_WORDS
#define FILTER_HOST (2 * FILTER_WORDS)

/* Shared with src/Forwarder/Steering (SteeringHash): the hash constants. */
#define MIX_ADDR0 0x9E3779B97F4A7C15ULL
#define MIX_ADDR1 0xC2B2AE3D27D4EB4FULL

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

/*
 * A vip_key as the tables hold and compare it (src/Forwarder/Steering/SteeringSlot): the address as two words,
 * then `tail` = the key's last 4 bytes read as one little-endian word (port | proto << 16 | family << 24).
 * Its first 20 bytes are a struct vip_key. tail 0 (family 0) marks an empty slot.
 */
struct slot_key {
	__u64 addr[2];
	__u32 tail;
	__u32 unused[3]; /* 32 bytes: a power of two, so the kernel's inlined lookup shifts instead of multiplying */
};

/* Where a table's live buffer is and how to hash into it. */
struct table_shape {
	__u64 seed;
	__u32 mask; /* slots - 1 */
	__u32 unused;
};

/* The tables' switch: user space fills the shape of the buffer not in use, then writes `active` alone. */
struct steer_ctl {
	__u32 active;     /* 0 or 1: the buffer of both tables frames use */
	__u32 generation; /* user space's own: counted up by every writer */
	struct table_shape vips[2];
	struct table_shape nat[2];
};

/*
 * Counter slots shared with src/Forwarder/Steering (RedirectProgram.ReadCounters): one __u64 each, per CPU. Every
 * frame counts in exactly one slot, by its outcome; "seen" is their sum, added up by user space, so a VIP frame
 * pays for one increment. Slot 0 is kept free so the slots mean the same in every version of the program.
 */
enum counter {
	CNT_UNUSED = 0,     /* counted every frame in older versions; read by no one */
	CNT_REDIRECTED,     /* VIP frames handed to an AF_XDP socket */
	CNT_PASSED,         /* non-VIP frames handed to the kernel */
	CNT_MALFORMED,      /* truncated or inconsistent headers, handed to the kernel */
	CNT_NO_SOCKET,      /* VIP frames on a queue with no socket, handed to the kernel */
	CNT_HOST_PASSED,    /* frames from a nat backend to one of this host's addresses, handed to the kernel */
	CNT_MAX,
};

/*
 * Bitmaps of addresses, FILTER_WORDS words each: VIP destinations, nat backend sources (both written with the
 * tables), then this host's own addresses (written with host_addrs, in front of its hash lookup).
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3 * FILTER_WORDS);
	__type(key, __u32);
	__type(value, __u64);
} addr_filter SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct steer_ctl);
} steer_ctl SEC(".maps");

/* VIP keys, matched against the destination: buffer b's slot i is entry b * TABLE_SLOTS + i. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * TABLE_SLOTS);
	__type(key, __u32);
	__type(value, struct slot_key);
} vip_table SEC(".maps");

/* Same keys, matched against the source: the backends of nat VIPs, whose replies go back through us. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * TABLE_SLOTS);
	__type(key, __u32);
	__type(value, struct slot_key);
} nat_table SEC(".maps");

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

static __always_inline __u32 tail_of(__be16 port, __u8 proto, __u8 family)
{
	return (__u32)port | (__u32)proto << 16 | (__u32)family << 24;
}

/* The address part of both hashes: both words folded into one (v4: the address itself), for one multiply each. */
static __always_inline __u64 addr_hash(const struct slot_key *key)
{
	__u64 x = key->addr[0] ^ key->addr[1] * MIX_ADDR1;
	return x ^ x >> 32;
}

/* The address may be in the table: its bit is set in the bitmap at `first_word`. */
static __always_inline int maybe_listed(__u64 hash, __u32 first_word)
{
	__u32 bit = (hash * MIX_ADDR0) >> 48; /* the product's top 16 bits */
	__u32 word = first_word + (bit >> 6);
	__u64 *bits = bpf_map_lookup_elem(&addr_filter, &word);
	return bits && (*bits >> (bit & 63)) & 1;
}

static __always_inline __u32 slot_hash(__u64 hash, __u32 tail, __u64 seed)
{
	return ((hash ^ tail ^ seed) * MIX_ADDR0) >> 32;
}

/* The key is in the live buffer of `table`, within PROBES slots of its hash. */
static __always_inline int listed(void *table, const struct table_shape *shape, __u32 base, const struct slot_key *key,
				  __u64 hash)
{
	__u32 start = slot_hash(hash, key->tail, shape->seed);
	__u32 mask = shape->mask;
#pragma unroll
	for (__u32 i = 0; i < PROBES; i++) {
		__u32 index = base + ((start + i) & mask);
		struct slot_key *slot = bpf_map_lookup_elem(table, &index);
		if (!slot || slot->tail == 0)
			return 0;
		if (slot->tail == key->tail && slot->addr[0] == key->addr[0] && slot->addr[1] == key->addr[1])
			return 1;
	}
	return 0;
}

static __always_inline struct steer_ctl *tables(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&steer_ctl, &zero);
}

static __always_inline int vip_listed(const struct slot_key *key, __u64 hash)
{
	struct steer_ctl *ctl = tables();
	if (!ctl)
		return 0;
	__u32 active = ctl->active & 1;
	return listed(&vip_table, &ctl->vips[active], active * TABLE_SLOTS, key, hash);
}

static __always_inline int nat_listed(const struct slot_key *key, __u64 hash)
{
	struct steer_ctl *ctl = tables();
	if (!ctl)
		return 0;
	__u32 active = ctl->active & 1;
	return listed(&nat_table, &ctl->nat[active], active * TABLE_SLOTS, key, hash);
}

/* The destination (`key`, whose address hashes to `hash`) is one of this host's addresses; clears key's port and protocol. */
static __always_inline int to_host(struct slot_key *key, __u64 hash, __u8 family)
{
	if (!maybe_listed(hash, FILTER_HOST))
		return 0;
	key->tail = tail_of(0, 0, family);
	return bpf_map_lookup_elem(&host_addrs, key) != 0; /* its first 20 bytes are a struct vip_key */
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
	struct slot_key key;   /* addr and tail are written before every read; unused is never read */
	struct slot_key source;
	int fragment = 0;
	__u8 family;
	__u8 l4proto;
	void *l4;

	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end)
		return pass(CNT_MALFORMED);
	__be16 ethertype = *(__be16 *)(data + 12); /* h_proto in one 2-byte load: struct ethhdr is packed, its field is read bytewise */
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
		__u8 version_ihl = *(__u8 *)ip;
		if (version_ihl != 0x45 && (version_ihl >> 4 != 4 || (version_ihl & 0xF) < 5)) /* 0x45: no options, the usual case */
			return pass(CNT_MALFORMED);
		l4 = (void *)ip + (version_ihl & 0xF) * 4;
		l4proto = ip->protocol;
		fragment = is_fragment_v4(ip);
		family = 4;
		key.addr[0] = ip->daddr;
		key.addr[1] = 0;
		source.addr[0] = ip->saddr;
		source.addr[1] = 0;
	} else if (ethertype == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = l3;
		if ((void *)(ip6 + 1) > data_end)
			return pass(CNT_MALFORMED);
		l4 = ip6 + 1;
		l4proto = ip6->nexthdr;
		family = 6;
		__builtin_memcpy(key.addr, &ip6->daddr, 16);
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

	__u64 destination = addr_hash(&key);
	if (!fragment && (l4proto == IPPROTO_TCP || l4proto == IPPROTO_UDP)) {
		/* source and destination ports are the first 4 bytes of both headers */
		__be16 *ports = l4;
		if ((void *)(ports + 2) > data_end)
			return pass(CNT_MALFORMED);
		if (maybe_listed(destination, 0)) {
			key.tail = tail_of(ports[1], l4proto, family);
			if (vip_listed(&key, destination))
				goto redirect;
			key.tail = tail_of(0, l4proto, family);
			if (vip_listed(&key, destination))
				goto redirect;
		}
		__u64 origin = addr_hash(&source);
		if (!maybe_listed(origin, FILTER_NAT))
			return pass(CNT_PASSED);
		source.tail = tail_of(ports[0], l4proto, family);
		if (!nat_listed(&source, origin)) {
			source.tail = tail_of(0, l4proto, family);
			if (!nat_listed(&source, origin))
				return pass(CNT_PASSED);
		}
		if (to_host(&key, destination, family))
			return pass(CNT_HOST_PASSED);
	} else if (fragment || l4proto == IPPROTO_ICMP || l4proto == IPPROTO_ICMPV6) {
		/* address-level keys: port and protocol 0 */
		key.tail = tail_of(0, 0, family);
		if (maybe_listed(destination, 0) && vip_listed(&key, destination))
			goto redirect;
		__u8 *icmp = l4;
		if (fragment || (void *)(icmp + 1) > data_end || !is_icmp_error(l4proto, icmp[0]))
			return pass(CNT_PASSED);
		__u64 origin = addr_hash(&source);
		source.tail = tail_of(0, 0, family);
		if (!maybe_listed(origin, FILTER_NAT) || !nat_listed(&source, origin))
			return pass(CNT_PASSED);
		if (to_host(&key, destination, family))
			return pass(CNT_HOST_PASSED);
	} else {
		return pass(CNT_PASSED);
	}

redirect:;
	int action = bpf_redirect_map(&xsks_map, ctx->rx_queue_index, XDP_PASS);
	count(action == XDP_REDIRECT ? CNT_REDIRECTED : CNT_NO_SOCKET);
	return action;
}

char LICENSE[] SEC("license") = "GPL";
