#!/usr/bin/env bash
# Three forwarder nodes behind an ECMP router, each announcing the VIPs over eBGP with BIRD 2, in network
# namespaces of their own, for the demo and the integration tests (see docs/scale-out.md).
#
#   cli (c0 10.31.1.2) ── (rc 10.31.1.1) rtr: BIRD AS 65000, kernel multipath route per VIP
#                                        ├─ (rn1 10.31.11.1) ── (l0 10.31.11.2) n1: BIRD AS 65001 + forwarder on l0
#                                        ├─ (rn2 10.31.12.1) ── (l0 10.31.12.2) n2: BIRD AS 65002 + forwarder on l0
#                                        ├─ (rn3 10.31.13.1) ── (l0 10.31.13.2) n3: BIRD AS 65003 + forwarder on l0
#                                        └─ bridge br0 10.31.2.1 ─┬─ (e0 10.31.2.11) b1 ┐ VIPs on lo, nginx on :80,
#                                                                 ├─ (e0 10.31.2.12) b2 ├ decap program on e0
#                                                                 └─ (e0 10.31.2.13) b3 ┘
# IPv6 twins: fd31:1::/64 (client), fd31:1N::/64 (node N), fd31:2::/64 (backends); every address ends as
# its IPv4 twin (.2 -> ::2). VIPs 10.100.0.1:80 and [fd00:100::1]:80.
#
# Each node's BIRD exports the forwarder's own protocols (forwarder_vips4/6, rendered by the forwarder
# into DIR/nN/bird-vips.conf) over one BGP session per family, with BFD (100 ms x 3). The router's
# BIRD merges the nodes' routes into one multipath kernel route per VIP; the kernel hashes flows over
# the nodes by addresses, protocol and ports with a fixed seed. Every forwarder runs the same VIPs (ipip
# to the three backends), so holds the same Maglev tables: any node sends a flow to the same backend.
#
# Optional resilient next-hop groups on the router: `cltopo_bird_write DIR resilient` makes the router's BIRD
# export the VIP routes into side table CL_RESILIENT_TABLE instead of the main one, and cltopo_resilient_start
# runs scripts/resilient-nexthops.sh in the router, which keeps one resilient group per VIP in the main table in
# step with it (a joining node then takes no live flow; see docs/scale-out.md).
#
#   source scripts/cluster-topology.sh
#   cltopo_up PREFIX DIR; cltopo_bird_write DIR [resilient]; cltopo_nginx_start PREFIX DIR;
#   cltopo_bird_start PREFIX DIR rtr|n1|n2|n3; [cltopo_resilient_start PREFIX DIR;]
#   cltopo_config PREFIX DIR nN [WATCHDOG_STALL] > DIR/nN/forwarder.yaml; cltopo_include_reset DIR nN; (start the forwarder)
#   ...; cltopo_down PREFIX DIR
# Only addresses inside these namespaces are used. The tests make the namespaces themselves, wire
# them with cltopo_wire and delete them (tests/Forwarder.IntegrationTests/Cluster/ClusterTopology.cs).

# shellcheck source=scripts/nginx-backends.sh
source "$(dirname "${BASH_SOURCE[0]}")/nginx-backends.sh"

CL_VIP=10.100.0.1
CL_VIP6=fd00:100::1
CL_VIP_PORT=80
CL_CLIENT=10.31.1.2
CL_CLIENT6=fd31:1::2
CL_ROUTER_CLIENT_SIDE=10.31.1.1
CL_ROUTER_CLIENT_SIDE6=fd31:1::1
CL_ROUTER_SEGMENT=10.31.2.1
CL_ROUTER_SEGMENT6=fd31:2::1
CL_NODES=(n1 n2 n3)
CL_NODE_ADDRESSES=(10.31.11.2 10.31.12.2 10.31.13.2)
CL_NODE_ADDRESSES6=(fd31:11::2 fd31:12::2 fd31:13::2)
CL_ROUTER_NODE_SIDES=(10.31.11.1 10.31.12.1 10.31.13.1)
CL_ROUTER_NODE_SIDES6=(fd31:11::1 fd31:12::1 fd31:13::1)
CL_NODE_AS=(65001 65002 65003)
CL_ROUTER_AS=65000
CL_NODE_INTERFACE=l0
CL_LIVENESS_DEVICE=fwd0
CL_BACKENDS=(b1 b2 b3)
CL_BACKEND_ADDRESSES=(10.31.2.11 10.31.2.12 10.31.2.13)
CL_BACKEND_ADDRESSES6=(fd31:2::11 fd31:2::12 fd31:2::13)
CL_BACKEND_INTERFACE=e0
# The router's ECMP hash: policy 3 (custom fields), fields 0x0037 (source and destination address,
# protocol, source and destination port), a fixed seed. Not policy 1: in namespaces the kernel then
# reuses the sending socket's hash, which TCP re-rolls on every retransmission timeout.
CL_HASH_POLICY=3
CL_HASH_FIELDS=0x0037
CL_HASH_SEED=20261207
# With resilient next-hop groups: the side table the router's BIRD exports into, and the groups' shape.
# The forwarders' watchdog stall (announce.watchdog_stall): the design's 200 ms unless cltopo_config is given another.
CL_WATCHDOG_STALL=200ms
CL_RESILIENT_TABLE=100
CL_RESILIENT_BUCKETS=128
CL_RESILIENT_IDLE_TIMER=30

cltopo_namespaces() { echo "$1-cli $1-rtr $1-n1 $1-n2 $1-n3 $1-b1 $1-b2 $1-b3"; }

cltopo_up() {
  local p=$1 dir=$2 ns
  mkdir -p "$dir"
  for ns in $(cltopo_namespaces "$p"); do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
  done
  cltopo_wire "$p"
  # Room for the many short connections of a load generator.
  ip netns exec "$p-cli" sysctl -qw net.ipv4.ip_local_port_range="20000 60999"
  return 0
}

# Links, addresses, routes and settings inside the namespaces PREFIX-{cli,rtr,n1,n2,n3,b1,b2,b3}, which
# exist with lo up. No VIP route yet: the router learns them from the nodes over BGP.
cltopo_wire() {
  local p=$1 cli=$1-cli rtr=$1-rtr ns i n b
  for ns in $(cltopo_namespaces "$p"); do
    # No duplicate address detection: IPv6 addresses are usable at once.
    ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
      net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
      net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0
  done
  ip netns exec "$rtr" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
    net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.default.send_redirects=0 \
    net.ipv4.fib_multipath_hash_policy=$CL_HASH_POLICY net.ipv4.fib_multipath_hash_fields=$CL_HASH_FIELDS \
    net.ipv4.fib_multipath_hash_seed=$CL_HASH_SEED \
    net.ipv6.fib_multipath_hash_policy=$CL_HASH_POLICY net.ipv6.fib_multipath_hash_fields=$CL_HASH_FIELDS

  ip link add c0 netns "$cli" type veth peer rc netns "$rtr"
  ip -n "$cli" addr add $CL_CLIENT/24 dev c0
  ip -n "$cli" addr add $CL_CLIENT6/64 dev c0
  ip -n "$rtr" addr add $CL_ROUTER_CLIENT_SIDE/24 dev rc
  ip -n "$rtr" addr add $CL_ROUTER_CLIENT_SIDE6/64 dev rc
  ip -n "$cli" link set c0 up
  ip -n "$rtr" link set rc up
  ip -n "$cli" route add default via $CL_ROUTER_CLIENT_SIDE
  ip -n "$cli" -6 route add default via $CL_ROUTER_CLIENT_SIDE6
  # Packets from local sockets carry partial checksums; the forwarder passes them on as they are.
  ip netns exec "$cli" ethtool -K c0 tx off >/dev/null

  for i in 0 1 2; do
    n=$p-${CL_NODES[i]}
    # Native XDP on l0 needs as many rx queues there as its peer has tx queues: one each.
    ip link add $CL_NODE_INTERFACE netns "$n" numrxqueues 1 numtxqueues 1 type veth \
      peer "r${CL_NODES[i]}" netns "$rtr" numrxqueues 1 numtxqueues 1
    ip -n "$n" addr add "${CL_NODE_ADDRESSES[i]}/24" dev $CL_NODE_INTERFACE
    ip -n "$n" addr add "${CL_NODE_ADDRESSES6[i]}/64" dev $CL_NODE_INTERFACE
    ip -n "$rtr" addr add "${CL_ROUTER_NODE_SIDES[i]}/24" dev "r${CL_NODES[i]}"
    ip -n "$rtr" addr add "${CL_ROUTER_NODE_SIDES6[i]}/64" dev "r${CL_NODES[i]}"
    ip -n "$n" link set $CL_NODE_INTERFACE up
    ip -n "$rtr" link set "r${CL_NODES[i]}" up
    ip -n "$n" route add default via "${CL_ROUTER_NODE_SIDES[i]}"
    ip -n "$n" -6 route add default via "${CL_ROUTER_NODE_SIDES6[i]}"
  done

  ip -n "$rtr" link add br0 type bridge
  ip -n "$rtr" addr add $CL_ROUTER_SEGMENT/24 dev br0
  ip -n "$rtr" addr add $CL_ROUTER_SEGMENT6/64 dev br0
  for i in 0 1 2; do
    b=$p-${CL_BACKENDS[i]}
    ip link add $CL_BACKEND_INTERFACE netns "$b" type veth peer "r${CL_BACKENDS[i]}" netns "$rtr"
    ip -n "$rtr" link set "r${CL_BACKENDS[i]}" master br0 up
    ip -n "$b" addr add "${CL_BACKEND_ADDRESSES[i]}/24" dev $CL_BACKEND_INTERFACE
    ip -n "$b" addr add "${CL_BACKEND_ADDRESSES6[i]}/64" dev $CL_BACKEND_INTERFACE
    ip -n "$b" addr add $CL_VIP/32 dev lo
    ip -n "$b" addr add $CL_VIP6/128 dev lo
    ip -n "$b" link set $CL_BACKEND_INTERFACE up
    ip -n "$b" route add default via $CL_ROUTER_SEGMENT
    ip -n "$b" -6 route add default via $CL_ROUTER_SEGMENT6
    ip netns exec "$b" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2
    ip netns exec "$b" ethtool -K $CL_BACKEND_INTERFACE tx off >/dev/null
  done
  ip -n "$rtr" link set br0 up
  return 0
}

# Stops the BIRDs by their pid files in DIR (if given), then whatever else still runs in the namespaces
# (TERM, then KILL), deletes them, and DIR.
# Safe under `set -e` and when some of it is already gone.
cltopo_down() {
  local p=$1 dir=${2:-} ns pids _ who
  if [ -n "$dir" ]; then
    for who in rtr "${CL_NODES[@]}"; do cltopo_bird_stop "$p" "$dir" "$who"; done
  fi
  pids=$(for ns in $(cltopo_namespaces "$p"); do ip netns pids "$ns" 2>/dev/null || true; done)
  if [ -n "$pids" ]; then
    kill -CONT $pids 2>/dev/null || true
    kill $pids 2>/dev/null || true
    for _ in $(seq 20); do kill -0 $pids 2>/dev/null || break; sleep 0.1; done
    kill -9 $pids 2>/dev/null || true
  fi
  for ns in $(cltopo_namespaces "$p"); do ip netns del "$ns" 2>/dev/null || true; done
  [ -z "$dir" ] || rm -rf "$dir"
  return 0
}

# The router's MAC on node N's link (n1, n2, n3): where that node's forwarder sends its ipip frames.
cltopo_router_mac() { ip -n "$1-rtr" -o link show "r$2" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'; }

# Node N's files: its BIRD's configuration, control socket, pid file and the forwarder's include file.
cltopo_bird_conf() { echo "$1/$2/bird.conf"; }
cltopo_bird_socket() { echo "$1/$2/bird.ctl"; }
cltopo_include_file() { echo "$1/$2/bird-vips.conf"; }
cltopo_api_socket() { echo "$1/$2/api.sock"; }

# The include file offering no VIP, as the forwarder itself renders it: its header line (it overwrites only
# a file that starts with it) and its two protocols without routes.
cltopo_include_empty() {
  printf '# written by forwarder; do not edit\nprotocol static forwarder_vips4 { ipv4; }\nprotocol static forwarder_vips6 { ipv6; }\n'
}

# Writes DIR/rtr/bird.conf and DIR/nN/bird.conf (with the include file offering no VIP yet). With
# "resilient", the router's kernel protocols export into table CL_RESILIENT_TABLE (for resilient-nexthops.sh).
cltopo_bird_write() {
  local dir=$1 mode=${2:-} i node table=""
  case $mode in
    "") ;;
    resilient) table="kernel table $CL_RESILIENT_TABLE; " ;;
    *) echo "cluster-topology.sh: cltopo_bird_write: unknown mode '$mode' (give resilient or nothing)" >&2; return 2 ;;
  esac
  mkdir -p "$dir/rtr"
  {
    cat <<EOF
router id $CL_ROUTER_CLIENT_SIDE;
log "$dir/rtr/bird.log" all;
protocol device { scan time 10; }
protocol bfd { interface "rn*" { min rx interval 100 ms; min tx interval 100 ms; multiplier 3; }; }
protocol kernel kernel4 { ${table}ipv4 { import none; export where net ~ [ 10.100.0.0/16{32,32} ]; }; merge paths on; }
protocol kernel kernel6 { ${table}ipv6 { import none; export where net ~ [ fd00:100::/48{128,128} ]; }; merge paths on; }
template bgp node4 {
  local as $CL_ROUTER_AS; direct; bfd on; hold time 3; keepalive time 1;
  connect retry time 1; error wait time 1, 10;
  ipv4 { import where net ~ [ 10.100.0.0/16{32,32} ]; export none; };
}
template bgp node6 {
  local as $CL_ROUTER_AS; direct; bfd on; hold time 3; keepalive time 1;
  connect retry time 1; error wait time 1, 10;
  ipv6 { import where net ~ [ fd00:100::/48{128,128} ]; export none; };
}
EOF
    for i in 0 1 2; do
      node=${CL_NODES[i]}
      echo "protocol bgp $node from node4 { neighbor ${CL_NODE_ADDRESSES[i]} as ${CL_NODE_AS[i]}; }"
      echo "protocol bgp ${node}v6 from node6 { neighbor ${CL_NODE_ADDRESSES6[i]} as ${CL_NODE_AS[i]}; }"
    done
  } > "$dir/rtr/bird.conf"
  for i in 0 1 2; do
    node=${CL_NODES[i]}
    mkdir -p "$dir/$node"
    [ -e "$(cltopo_include_file "$dir" "$node")" ] || cltopo_include_empty > "$(cltopo_include_file "$dir" "$node")"
    cat > "$(cltopo_bird_conf "$dir" "$node")" <<EOF
router id ${CL_NODE_ADDRESSES[i]};
log "$dir/$node/bird.log" all;
protocol device { scan time 10; }
protocol bfd { interface "$CL_NODE_INTERFACE" { min rx interval 100 ms; min tx interval 100 ms; multiplier 3; }; }
# The forwarder's VIP routes: protocol static forwarder_vips4 / forwarder_vips6 via its liveness device.
include "$(cltopo_include_file "$dir" "$node")";
template bgp upstream {
  local as ${CL_NODE_AS[i]}; direct; bfd on; hold time 3; keepalive time 1;
  connect retry time 1; error wait time 1, 10; graceful restart off;
}
protocol bgp rtr from upstream {
  neighbor ${CL_ROUTER_NODE_SIDES[i]} as $CL_ROUTER_AS;
  ipv4 { import none; export where proto = "forwarder_vips4"; next hop self; };
}
protocol bgp rtr6 from upstream {
  neighbor ${CL_ROUTER_NODE_SIDES6[i]} as $CL_ROUTER_AS;
  ipv6 { import none; export where proto = "forwarder_vips6"; next hop self; };
}
EOF
  done
  return 0
}

# Start-up hygiene before a node's forwarder starts: its include file emptied and BIRD told, so routes a
# killed forwarder left in the file are not announced again the moment the new liveness device comes up
# (before the new forwarder's hold-down and health checks).
cltopo_include_reset() {
  local dir=$1 node=$2
  cltopo_include_empty > "$(cltopo_include_file "$dir" "$node")"
  birdc -s "$(cltopo_bird_socket "$dir" "$node")" configure >/dev/null
}

# Starts the BIRD of WHO (rtr, n1, n2, n3) in its namespace: bird -c CONF -s SOCK -P PIDFILE (it
# daemonizes; the pid file names it). Waits (bounded) until its control socket answers. It runs at nice
# -10, as a node's BIRD should: BFD (100 ms x 3) calls a session down after 300 ms without a packet, and
# two cores shared by three nodes, the router and the clients leave a BIRD at nice 0 that long unscheduled.
cltopo_bird_start() {
  local p=$1 dir=$2 who=$3 _
  rm -f "$dir/$who/bird.ctl" "$dir/$who/bird.pid"
  ip netns exec "$p-$who" nice -n -10 bird -c "$dir/$who/bird.conf" -s "$dir/$who/bird.ctl" -P "$dir/$who/bird.pid" </dev/null >/dev/null 2>&1 \
    || { echo "cluster-topology.sh: bird in $p-$who did not start (see $dir/$who/bird.conf)" >&2; return 1; }
  for _ in $(seq 50); do
    birdc -s "$dir/$who/bird.ctl" show status >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "cluster-topology.sh: bird in $p-$who does not answer on $dir/$who/bird.ctl" >&2
  return 1
}

# Starts scripts/resilient-nexthops.sh in the router, following CL_RESILIENT_TABLE (the router's BIRD written
# with "resilient"), in a process group of its own with its log in DIR/rtr/resilient-nexthops.log; waits
# (bounded) until it follows the table. cltopo_down stops it with everything else in the router.
cltopo_resilient_start() {
  local p=$1 dir=$2 _ log=$2/rtr/resilient-nexthops.log
  setsid ip netns exec "$p-rtr" bash "$(dirname "${BASH_SOURCE[0]}")/resilient-nexthops.sh" --table $CL_RESILIENT_TABLE \
    --buckets $CL_RESILIENT_BUCKETS --idle-timer $CL_RESILIENT_IDLE_TIMER </dev/null >"$log" 2>&1 &
  echo $! > "$dir/rtr/resilient-nexthops.pid"
  for _ in $(seq 50); do
    grep -qs "following table" "$log" && return 0
    sleep 0.1
  done
  echo "cluster-topology.sh: resilient-nexthops.sh in $p-rtr does not run (see $log)" >&2
  return 1
}

# Stops the BIRD of WHO by its pid file (SIGTERM, then SIGKILL after 2 s), if that pid still runs in
# WHO's namespace (a stale pid file never names another process).
cltopo_bird_stop() {
  local p=$1 dir=$2 who=$3 pid _
  pid=$(cat "$dir/$who/bird.pid" 2>/dev/null) || return 0
  [ "$(ip netns identify "$pid" 2>/dev/null)" = "$p-$who" ] || return 0
  kill -CONT "$pid" 2>/dev/null || true
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

# The routers's BGP sessions that are Established (n1 n1v6 ...), one per line.
cltopo_bgp_established() {
  birdc -s "$1/rtr/bird.ctl" show protocols 2>/dev/null | awk '$2 == "BGP" && $6 == "Established" { print $1 }'
}

# The nodes the router's multipath route to VIP (default the IPv4 VIP) goes through now: n1 n2 n3.
cltopo_route_nodes() {
  local p=$1 vip=${2:-$CL_VIP} i out
  if [[ $vip == *:* ]]; then out=$(ip -n "$p-rtr" -6 route show "$vip" 2>/dev/null || true)
  else out=$(ip -n "$p-rtr" route show "$vip" 2>/dev/null || true); fi
  for i in 0 1 2; do
    if grep -qE "via (${CL_NODE_ADDRESSES[i]}|${CL_NODE_ADDRESSES6[i]}) " <<<"$out"; then printf '%s ' "${CL_NODES[i]}"; fi
  done
  echo
}

# The forwarders' configuration: the same VIPs everywhere (ipip to the three backends, TCP health
# checks); per node only the router's MAC on its link, the core, and the announce section's paths.
# WATCHDOG_STALL (default CL_WATCHDOG_STALL) is the workers' stall time before the node withdraws.
cltopo_config() {
  local p=$1 dir=$2 node=$3 stall=${4:-$CL_WATCHDOG_STALL} i core
  i=$((${node#n} - 1))
  core=$((i % $(nproc)))
  cat <<EOF
interface:
  name: $CL_NODE_INTERFACE
  queues: [0]
  cores: [$core]
router_mac: $(cltopo_router_mac "$p" "$node")
announce:
  liveness_device: $CL_LIVENESS_DEVICE
  bird_socket: $(cltopo_bird_socket "$dir" "$node")
  include_file: $(cltopo_include_file "$dir" "$node")
  min_healthy_backends: 1
  hold_down: 1s
  drain_quiet: 500ms
  drain_max: 10s
  watchdog_stall: $stall
vips:
  - address: $CL_VIP
    port: $CL_VIP_PORT
    protocol: tcp
    mode: ipip
    healthcheck:
      type: tcp
    backends:
EOF
  for i in 0 1 2; do echo "      - address: ${CL_BACKEND_ADDRESSES[i]}"; done
  cat <<EOF
  - address: $CL_VIP6
    port: $CL_VIP_PORT
    protocol: tcp
    mode: ipip
    healthcheck:
      type: tcp
    backends:
EOF
  for i in 0 1 2; do echo "      - address: ${CL_BACKEND_ADDRESSES6[i]}"; done
  return 0
}

# nginx in each backend namespace, answering "bN" on port 80 of every IPv4 and IPv6 address, keeping
# connections alive (the long-lived clients send many requests on one); files under DIR/bN.
cltopo_nginx_start() { nginx_backends_start "$1" "$2" "$CL_VIP_PORT" "keepalive ipv6" "${CL_BACKENDS[@]}"; }

