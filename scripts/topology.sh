#!/usr/bin/env bash
# The one-armed load-balancer topology in network namespaces of its own, for the demo and manual runs.
#
#   cli (10.10.1.2) ── rtr ── lb  (10.10.2.2, forwarder on l0, 2 queues)
#                       └──── sink (10.10.3.2, VIP 10.100.0.1 on lo)
#
# rtr routes the VIP to lb. The forwarder sends VIP frames back to rtr (next hop = rtr's MAC),
# where a policy rule for frames arriving from lb routes the VIP on to sink. sink answers the
# client directly (direct server return). Only addresses inside these namespaces are used.
#
#   source scripts/topology.sh; topo_up PREFIX; ...; topo_down PREFIX

VIP=10.100.0.1

topo_ns() { ip netns exec "$1" "${@:2}"; }

topo_up() {
  local p=$1
  local cli=$p-cli rtr=$p-rtr lb=$p-lb sink=$p-sink
  for ns in $cli $rtr $lb $sink; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
  ip link add c0 netns "$cli" type veth peer r-cli netns "$rtr"
  ip link add l0 netns "$lb" numrxqueues 2 numtxqueues 2 type veth peer r-lb netns "$rtr" numrxqueues 2 numtxqueues 2
  ip link add s0 netns "$sink" type veth peer r-sink netns "$rtr"
  ip -n "$cli" addr add 10.10.1.2/24 dev c0
  ip -n "$rtr" addr add 10.10.1.1/24 dev r-cli
  ip -n "$rtr" addr add 10.10.2.1/24 dev r-lb
  ip -n "$rtr" addr add 10.10.3.1/24 dev r-sink
  ip -n "$lb" addr add 10.10.2.2/24 dev l0
  ip -n "$sink" addr add 10.10.3.2/24 dev s0
  ip -n "$sink" addr add $VIP/32 dev lo
  for pair in "$cli c0" "$rtr r-cli" "$rtr r-lb" "$rtr r-sink" "$lb l0" "$sink s0"; do
    set -- $pair; ip -n "$1" link set "$2" up
  done
  ip -n "$cli" route add default via 10.10.1.1
  ip -n "$lb" route add default via 10.10.2.1
  ip -n "$sink" route add default via 10.10.3.1
  topo_ns "$rtr" sysctl -qw net.ipv4.ip_forward=1
  for ns in $rtr $sink $lb; do
    topo_ns "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
  done
  ip -n "$rtr" route add $VIP/32 via 10.10.2.2
  ip -n "$rtr" rule add iif r-lb lookup 100
  ip -n "$rtr" route add $VIP/32 via 10.10.3.2 table 100
  # Locally generated packets carry partial checksums; a user-space forwarder passes them on as they are.
  topo_ns "$cli" ethtool -K c0 tx off >/dev/null
  topo_ns "$rtr" ethtool -K r-lb tx off >/dev/null
}

topo_down() {
  local p=$1
  for ns in $p-cli $p-rtr $p-lb $p-sink; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
    ip netns del "$ns" 2>/dev/null
  done
  return 0
}

topo_router_mac() { ip -n "$1-rtr" -o link show r-lb | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'; }
