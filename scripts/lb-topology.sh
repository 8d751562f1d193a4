#!/usr/bin/env bash
# A load balancer with three real backends, in network namespaces of its own, for the demo and manual runs.
#
#   cli (c0 10.20.1.2) ── (rc 10.20.1.1) rtr, bridge br0 10.20.2.1 ─┬─ (l0 10.20.2.2)  lb: the forwarder, 2 queues
#                                                                   ├─ (e0 10.20.2.11) b1 ┐
#                                                                   ├─ (e0 10.20.2.12) b2 ├ VIP 10.100.0.1 on lo, nginx on :80
#                                                                   └─ (e0 10.20.2.13) b3 ┘
#
# rtr routes the VIP to lb. What the forwarder sends back onto the segment depends on the VIP's mode:
#   ipip    encapsulated to rtr's MAC; rtr routes the outer packet to the backend, whose XDP decap
#           program (forwarder decap attach) strips it
#   dsr-l2  the packet unchanged, to the backend's MAC
#   nat     the destination rewritten to the backend, to rtr's MAC; backends route the clients'
#           subnet back through lb, which rewrites the replies' source to the VIP
# In ipip and dsr-l2 the backends answer the client directly through rtr (direct server return).
# Only addresses inside these namespaces are used.
#
# This file is the one definition of the shape: the demo (run.sh) builds it with lbtopo_up, and the
# integration tests (tests/Forwarder.IntegrationTests/LoadBalancing/BackendPoolTopology.cs) read its
# addresses and names and wire namespaces of their own with lbtopo_wire.
#
#   source scripts/lb-topology.sh
#   lbtopo_up PREFIX MODE; lbtopo_nginx_start PREFIX DIR; ...; lbtopo_down PREFIX DIR

# shellcheck source=scripts/nginx-backends.sh
source "$(dirname "${BASH_SOURCE[0]}")/nginx-backends.sh"

LB_VIP=10.100.0.1
LB_VIP_PORT=80
LB_CLIENT=10.20.1.2
LB_CLIENT_SUBNET=10.20.1.0/24
LB_ROUTER_CLIENT_SIDE=10.20.1.1
LB_ROUTER_SEGMENT=10.20.2.1
LB_ADDRESS=10.20.2.2
LB_INTERFACE=l0
LB_BACKEND_INTERFACE=e0
LB_BACKENDS=(b1 b2 b3)
LB_BACKEND_ADDRESSES=(10.20.2.11 10.20.2.12 10.20.2.13)

lbtopo_namespaces() { echo "$1-cli $1-rtr $1-lb $1-b1 $1-b2 $1-b3"; }

lbtopo_up() {
  local p=$1 mode=$2 ns
  for ns in $(lbtopo_namespaces "$p"); do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
  done
  lbtopo_wire "$p" "$mode"
  # Room for the many short connections of a load generator (the tests bind fixed source ports instead).
  ip netns exec "$p-cli" sysctl -qw net.ipv4.ip_local_port_range="20000 60999"
  return 0
}

# Links, addresses, routes and settings inside the namespaces PREFIX-{cli,rtr,lb,b1,b2,b3}, which
# exist with lo up (lbtopo_up makes them; the integration tests make their own and delete them).
lbtopo_wire() {
  local p=$1 mode=$2
  local cli=$p-cli rtr=$p-rtr lb=$p-lb ns i
  for ns in $(lbtopo_namespaces "$p"); do
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 \
      net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
  done
  ip link add c0 netns "$cli" type veth peer rc netns "$rtr"
  # Native XDP on l0 needs as many rx queues there as its peer has tx queues.
  ip link add $LB_INTERFACE netns "$lb" numrxqueues 2 numtxqueues 2 type veth peer rl netns "$rtr" numrxqueues 2 numtxqueues 2
  ip -n "$rtr" link add br0 type bridge
  ip -n "$rtr" link set rl master br0
  for i in 0 1 2; do
    ip link add $LB_BACKEND_INTERFACE netns "$p-${LB_BACKENDS[i]}" type veth peer "r${LB_BACKENDS[i]}" netns "$rtr"
    ip -n "$rtr" link set "r${LB_BACKENDS[i]}" master br0
  done

  ip -n "$cli" addr add $LB_CLIENT/24 dev c0
  ip -n "$rtr" addr add $LB_ROUTER_CLIENT_SIDE/24 dev rc
  ip -n "$rtr" addr add $LB_ROUTER_SEGMENT/24 dev br0
  ip -n "$lb" addr add $LB_ADDRESS/24 dev $LB_INTERFACE
  ip -n "$cli" link set c0 up
  ip -n "$rtr" link set rc up
  for dev in rl rb1 rb2 rb3 br0; do ip -n "$rtr" link set "$dev" up; done
  ip -n "$lb" link set $LB_INTERFACE up
  ip -n "$cli" route add default via $LB_ROUTER_CLIENT_SIDE
  ip -n "$lb" route add default via $LB_ROUTER_SEGMENT

  # ipip and nat packets leave rtr on the segment they came from: no ICMP redirects to lb.
  ip netns exec "$rtr" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.br0.send_redirects=0
  ip -n "$rtr" route add $LB_VIP/32 via $LB_ADDRESS

  for i in 0 1 2; do
    local b=$p-${LB_BACKENDS[i]}
    ip -n "$b" addr add "${LB_BACKEND_ADDRESSES[i]}/24" dev $LB_BACKEND_INTERFACE
    ip -n "$b" addr add $LB_VIP/32 dev lo
    ip -n "$b" link set $LB_BACKEND_INTERFACE up
    ip -n "$b" route add default via $LB_ROUTER_SEGMENT
    # The VIP is on every backend: only lb may answer ARP for it (and backends' ARP uses e0's address).
    ip netns exec "$b" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2
    # Locally generated packets carry partial checksums; under nat the forwarder passes replies on as they are.
    ip netns exec "$b" ethtool -K $LB_BACKEND_INTERFACE tx off >/dev/null
    if [ "$mode" = nat ]; then ip -n "$b" route add $LB_CLIENT_SUBNET via $LB_ADDRESS; fi
  done
  # Packets from local sockets carry partial checksums; the forwarder passes them on as they are.
  ip netns exec "$cli" ethtool -K c0 tx off >/dev/null
  return 0
}

# Stops what still runs in the namespaces (TERM, then KILL), deletes them, and DIR if given.
# Safe under `set -e` and when some of it is already gone.
lbtopo_down() {
  local p=$1 dir=${2:-} ns pids _
  pids=$(for ns in $(lbtopo_namespaces "$p"); do ip netns pids "$ns" 2>/dev/null || true; done)
  if [ -n "$pids" ]; then
    kill $pids 2>/dev/null || true
    for _ in $(seq 20); do kill -0 $pids 2>/dev/null || break; sleep 0.1; done
    kill -9 $pids 2>/dev/null || true
  fi
  for ns in $(lbtopo_namespaces "$p"); do ip netns del "$ns" 2>/dev/null || true; done
  [ -z "$dir" ] || rm -rf "$dir"
  return 0
}

# rtr's MAC on the segment: where the forwarder sends ipip and nat frames.
lbtopo_router_mac() { ip -n "$1-rtr" -o link show br0 | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'; }

lbtopo_backend_mac() { ip -n "$1-$2" -o link show $LB_BACKEND_INTERFACE | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'; }

# nginx in each backend namespace, answering "bN" on port 80 with an access log each; files under DIR/bN.
lbtopo_nginx_start() { nginx_backends_start "$1" "$2" "$LB_VIP_PORT" "log" "${LB_BACKENDS[@]}"; }

# Starts backend B's nginx again (after lbtopo_nginx_start wrote its files); does not wait.
lbtopo_nginx_restart() { nginx_backend_run "$1" "$2" "$3"; }

# Requests answered by each backend so far (lines of its access log), as "b1 b2 b3".
lbtopo_nginx_counts() {
  local dir=$1 b counts=()
  for b in "${LB_BACKENDS[@]}"; do counts+=("$(wc -l < "$dir/$b/access.log")"); done
  echo "${counts[*]}"
}

# The forwarder's configuration for this topology: the VIP on port 80/tcp in MODE over the three backends.
lbtopo_config() {
  local p=$1 mode=$2 i
  cat <<EOF
interface:
  name: $LB_INTERFACE
  queues: [0, 1]
  cores: [0, 1]
router_mac: $(lbtopo_router_mac "$p")
vips:
  - address: $LB_VIP
    port: $LB_VIP_PORT
    protocol: tcp
    mode: $mode
    healthcheck:
      type: tcp
    backends:
EOF
  for i in 0 1 2; do
    echo "      - address: ${LB_BACKEND_ADDRESSES[i]}"
    [ "$mode" = dsr-l2 ] && echo "        mac: $(lbtopo_backend_mac "$p" "${LB_BACKENDS[i]}")"
  done
  return 0
}
