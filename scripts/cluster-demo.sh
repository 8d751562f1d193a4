#!/usr/bin/env bash
# `./run.sh demo cluster`: three forwarder nodes behind an ECMP router (scripts/cluster-topology.sh)
# under client load, with live per-node and per-backend rates; then one node is killed (kill -9), one
# drained (SIGTERM), the killed one rejoins. For each: the router's route change as `ip -ts monitor route`
# in the router saw it, and the client connections that broke (wrk's socket errors: its 60 keep-alive
# connections each carry many requests). Everything is torn down on exit and on Ctrl-C.
#
#   bash scripts/cluster-demo.sh FORWARDER_DLL        (root; run.sh builds the forwarder first)
set -euo pipefail
FWD=${1:?usage: cluster-demo.sh FORWARDER_DLL}
PHASE_SECONDS=${DEMO_PHASE_SECONDS:-5}
# shellcheck source=scripts/cluster-topology.sh
source "$(dirname "$0")/cluster-topology.sh"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'cluster-demo: %s\n' "$*" >&2; exit 1; }

# Globals: the EXIT trap runs after the functions that set them have returned.
P=fwcl$$ D=$(mktemp -d /tmp/fwcluster.XXXXXX) MONITOR_PID="" WRK_PID="" NODE_PIDS=("" "" "")
cleanup() {
  trap - EXIT INT TERM
  local pid
  for pid in $WRK_PID $MONITOR_PID "${NODE_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  cltopo_down "$P" "$D"
  say "cluster removed"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts node I's forwarder (index 0..2) on its configuration, in the background; waits for READY.
start_node() {
  local i=$1 node=${CL_NODES[$1]} _
  cltopo_config "$P" "$D" "$node" > "$D/$node/forwarder.yaml"
  rm -f "$(cltopo_api_socket "$D" "$node")"
  cltopo_include_reset "$D" "$node"
  nsenter --net="/run/netns/$P-$node" dotnet "$FWD" run --config "$D/$node/forwarder.yaml" \
    --api "unix:$(cltopo_api_socket "$D" "$node")" --stats-interval 0 > "$D/$node/forwarder.log" 2>&1 &
  NODE_PIDS[i]=$!
  for _ in $(seq 150); do grep -qs '^READY' "$D/$node/forwarder.log" && return 0; sleep 0.2; done
  tail -20 "$D/$node/forwarder.log" >&2
  die "the forwarder on $node did not start (log above)"
}

node_cli() { nsenter --net="/run/netns/$P-$1" dotnet "$FWD" "${@:2}" --api "unix:$(cltopo_api_socket "$D" "$1")"; }

# Waits (bounded, 30 s) until the router's route to VIP goes through exactly NODES ("n1 n2 n3 ").
wait_routed() {
  local vip=$1 want=$2 _
  for _ in $(seq 300); do [ "$(cltopo_route_nodes "$P" "$vip")" = "$want" ] && return 0; sleep 0.1; done
  die "the router's route to $vip does not go through $want (now: $(cltopo_route_nodes "$P" "$vip"))"
}

# One line of live rates: each node's VIP packets/s and each backend's packets/s summed over the nodes,
# from every running node's `forwarder stats --once --json` (read in parallel).
live_line() {
  local i node t=$1 rates=() backends readers=()
  for i in 0 1 2; do
    node=${CL_NODES[i]}
    if [ -n "${NODE_PIDS[i]}" ] && kill -0 "${NODE_PIDS[i]}" 2>/dev/null; then
      (node_cli "$node" stats --once --json --interval 0.5 > "$D/$node/stats.json" 2>/dev/null || : > "$D/$node/stats.json") &
      readers+=($!)
    else
      : > "$D/$node/stats.json"
    fi
  done
  [ ${#readers[@]} = 0 ] || wait "${readers[@]}" 2>/dev/null || true
  for i in 0 1 2; do
    rates+=("$(jq -r '[.vips[].pps] | add | floor' "$D/${CL_NODES[i]}/stats.json" 2>/dev/null || echo -)")
  done
  backends=$(cat "$D"/n*/stats.json 2>/dev/null | jq -rs --arg b "${CL_BACKEND_ADDRESSES[*]}" \
    '[($b | split(" "))[] as $a | ([.[].vips[].backends[] | select(.backend == $a) | .pps] | add // 0 | floor)] | @tsv' 2>/dev/null || echo "- - -")
  printf '  %5s  %8s %8s %8s   %8s %8s %8s\n' "$t" "${rates[0]:--}" "${rates[1]:--}" "${rates[2]:--}" $backends
}

# Runs wrk for PHASE_SECONDS: 60 keep-alive connections, each sending one request every 20 ms (a
# paced load: flat out, the clients would take both cores from the BIRDs and BFD would flap). Calls EVENT
# after 1.5 s and prints live rates. Afterwards: the broken connections (wrk's socket errors).
phase() {
  local name=$1 event=$2 start t
  echo 'function delay() return 20 end' > "$D/paced.lua"
  ip netns exec "$P-cli" wrk --threads 2 --connections 60 --duration "${PHASE_SECONDS}s" --timeout 2s \
    --script "$D/paced.lua" "http://$CL_VIP/" > "$D/wrk-$name.txt" 2>&1 &
  WRK_PID=$!
  printf '  %5s  %8s %8s %8s   %8s %8s %8s\n' time "n1 pps" "n2 pps" "n3 pps" "b1 pps" "b2 pps" "b3 pps"
  start=$SECONDS
  sleep 1.5
  [ -z "$event" ] || $event
  while kill -0 "$WRK_PID" 2>/dev/null && [ $((SECONDS - start)) -lt "$PHASE_SECONDS" ]; do
    t=$((SECONDS - start))s
    live_line "$t"
  done
  wait "$WRK_PID" 2>/dev/null || true
  WRK_PID=""
  printf '  wrk: %s; broken connections: %s\n' "$(grep -o '[0-9]* requests in [0-9.]*s' "$D/wrk-$name.txt" || echo 'no summary')" \
    "$(grep -o 'Socket errors.*' "$D/wrk-$name.txt" || echo 'none (no socket errors)')"
}

# The router's route changes, one a line: "TIME_NS TEXT" (a multipath route's nexthop lines joined).
route_events() {
  local line ts event=""
  while IFS= read -r line; do
    if [[ $line == \[* ]]; then
      [ -z "$event" ] || echo "$event"
      ts=${line%%]*}
      event="$(date -d "${ts#[}" +%s%N) ${line#*] }"
    else
      event+=" ${line//$'\t'/}"
    fi
  done < "$D/routes.txt"
  [ -z "$event" ] || echo "$event"
}

# The first change of the IPv4 VIP's route after EVENT_NS (date +%s%N) without node I as next hop: "N ms".
withdraw_after() {
  route_events | awk -v e="$1" -v hop="via ${CL_NODE_ADDRESSES[$2]} " -v vip="$CL_VIP" '
    $1 >= e && ($2 == vip || ($2 == "Deleted" && $3 == vip)) && !index($0 " ", hop) { printf "%d ms", ($1 - e) / 1e6; found = 1; exit }
    END { if (!found) printf "(not seen)" }'
}

# The first change of the IPv4 VIP's route after EVENT_NS through node I again: "N ms".
announce_after() {
  route_events | awk -v e="$1" -v hop="via ${CL_NODE_ADDRESSES[$2]} " -v vip="$CL_VIP" '
    $1 >= e && $2 == vip && index($0 " ", hop) { printf "%d ms", ($1 - e) / 1e6; found = 1; exit }
    END { if (!found) printf "(not seen)" }'
}

KILLED_AT="" DRAINED_AT="" REJOINED_AT=""
kill_n2() {
  KILLED_AT=$(date +%s%N)
  kill -9 "${NODE_PIDS[1]}"
  wait "${NODE_PIDS[1]}" 2>/dev/null || true
  NODE_PIDS[1]=""
  say "kill -9 of n2's forwarder"
}
drain_n3() { DRAINED_AT=$(date +%s%N); kill -TERM "${NODE_PIDS[2]}"; say "drain of n3 (SIGTERM: liveness device down, forward until quiet, stop)"; }
rejoin_n2() { REJOINED_AT=$(date +%s%N); say "n2's forwarder starts again"; start_node 1; }

command -v bird >/dev/null || die "bird (Debian bird2) is not installed: run ./run.sh setup"
TZ=UTC0; export TZ
say "building the cluster: cli ─ rtr (BIRD, ECMP) ─ n1 n2 n3 (BIRD + forwarder each) ; rtr ─ b1 b2 b3 (nginx, decap)"
cltopo_up "$P" "$D"
cltopo_bird_write "$D"
for b in "${CL_BACKENDS[@]}"; do
  nsenter --net="/run/netns/$P-$b" dotnet "$FWD" decap attach --iface "$CL_BACKEND_INTERFACE" >/dev/null
done
cltopo_nginx_start "$P" "$D"
cltopo_bird_start "$P" "$D" rtr
for i in 0 1 2; do cltopo_bird_start "$P" "$D" "${CL_NODES[i]}"; start_node "$i"; done
say "every node runs the same VIPs; its forwarder announces them through its BIRD (announce: section):"
sed -n '/^announce:/,/^vips:/p' "$D/n1/forwarder.yaml" | sed '$d; s/^/  /'
wait_routed "$CL_VIP" "n1 n2 n3 "
wait_routed "$CL_VIP6" "n1 n2 n3 "
say "the router's routes (BGP from the three nodes, merged into one multipath route each):"
{ ip -n "$P-rtr" route show "$CL_VIP"; ip -n "$P-rtr" -6 route show "$CL_VIP6"; } | sed 's/^/  /'
say "Maglev table digests, the same on every node:"
for node in "${CL_NODES[@]}"; do
  printf '  %s: %s\n' "$node" "$(node_cli "$node" stats --once --json --interval 0.1 | jq -r '[.vips[] | "\(.vip) \(.digest[:16])…"] | join(", ")')"
done
ip -n "$P-rtr" -ts monitor route > "$D/routes.txt" 2>&1 &
MONITOR_PID=$!

say "steady: 60 keep-alive connections (wrk, one request every 20 ms each) spread over the nodes"
phase steady ""
say "kill -9 of n2's forwarder under load"
phase kill kill_n2
say "  router withdrew n2 $(withdraw_after "$KILLED_AT" 1) after kill -9"
say "drain of n3 under load"
phase drain drain_n3
say "  router withdrew n3 $(withdraw_after "$DRAINED_AT" 2) after SIGTERM"
say "n2 rejoins under load"
phase rejoin rejoin_n2
say "  router took n2 back $(announce_after "$REJOINED_AT" 1) after its forwarder started (its announce hold-down included)"
say "the router's route now: $(cltopo_route_nodes "$P")"
