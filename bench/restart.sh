#!/usr/bin/env bash
# Restart time after a crash, with a same-run baseline: `forwarder run --config` on a veth in a namespace of
# its own, under steady UDP traffic to the VIP, timed from exec to its first forwarded batch (the forwarder's
# own start-up line, "first batch forwarded N ms", and the CPU time it took, which a loaded machine disturbs
# less than the wall time). Each round: a plain first start (nothing attached), then
# SIGKILL and a new `forwarder run` that takes over the program the killed one left attached, then SIGTERM
# (which detaches). Prints each sample and, per kind, median [min-max] over ROUNDS rounds (default 5) and the
# ratio of the medians. Needs root and a build (./run.sh build).
#
#   bench/restart.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
BIN=${BIN:-$(pwd)/src/Forwarder/bin/Release/net10.0}
[ "$(id -u)" = 0 ] || { echo "restart.sh: needs root (network namespaces, XDP)" >&2; exit 1; }
[ -x "$BIN/forwarder" ] || { echo "restart.sh: no $BIN/forwarder: run ./run.sh build first" >&2; exit 1; }

ID=$$
NS=frs$ID
LB=frs${ID}l
PEER=frs${ID}p
WORK=$(mktemp -d)
VIP=10.100.0.1
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

ip netns add "$NS"
ip link add "$LB" type veth peer name "$PEER"
ip link set "$LB" netns "$NS"
ip link set "$PEER" netns "$NS"
ip -n "$NS" link set lo up
ip -n "$NS" link set "$LB" up
ip -n "$NS" link set "$PEER" up
# The peer sends to the VIP through LB's MAC: what arrives on LB is VIP traffic, whichever program runs there.
ip -n "$NS" addr add 10.201.9.1/24 dev "$PEER"
ip -n "$NS" neigh add 10.201.9.2 lladdr "$(ip -n "$NS" -br link show "$LB" | awk '{print $3}')" dev "$PEER" nud permanent
ip -n "$NS" route add "$VIP/32" via 10.201.9.2 dev "$PEER"
cat >"$WORK/forwarder.yaml" <<YAML
interface:
  name: $LB
  queues: [0]
  cores: [0]
  xdp_mode: skb
router_mac: 02:00:00:00:00:01
vips:
  - address: $VIP
    port: 5000
    protocol: udp
    backends:
      - address: 10.0.0.1
      - address: 10.0.0.2
    healthcheck:
      type: tcp
YAML

# Steady traffic, about one datagram a millisecond, for as long as the script runs (bash's /dev/udp: no process per datagram).
ip netns exec "$NS" bash -c "exec 3>/dev/udp/$VIP/5000; end=\$((SECONDS + 600)); while [ \$SECONDS -lt \$end ]; do printf x >&3 || true; sleep 0.001; done" &
PIDS+=($!)

FORWARDER=
MS=
CPU=
# Starts the forwarder; sets FORWARDER (its pid), MS (exec to first forwarded batch) and CPU (the CPU ms it took).
start() {
  local log=$WORK/run-$1.log
  nsenter --net="/run/netns/$NS" "$BIN/forwarder" run --config "$WORK/forwarder.yaml" --api none --stats-interval 0 >"$log" 2>&1 &
  FORWARDER=$!
  PIDS+=("$FORWARDER")
  local line=
  for _ in $(seq 300); do
    line=$(grep -m1 -o 'first batch forwarded [0-9]*' "$log" || true)
    [ -n "$line" ] && break
    kill -0 "$FORWARDER" 2>/dev/null || { echo "restart.sh: the forwarder exited:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$line" ] || { echo "restart.sh: no first batch within 30 s:" >&2; cat "$log" >&2; exit 1; }
  MS=${line##* }
  CPU=$(grep -m1 -o 'CPU [0-9]* ms (both' "$log" | grep -o '[0-9]*')
}
stop() { kill "-$1" "$FORWARDER"; wait "$FORWARDER" 2>/dev/null || true; }

start warmup; stop TERM
plain=(); restarted=(); plain_cpu=(); restarted_cpu=()
for round in $(seq "$ROUNDS"); do
  start "plain-$round"; p=$MS; plain_cpu+=("$CPU"); stop KILL
  start "restart-$round"; r=$MS; restarted_cpu+=("$CPU"); stop TERM
  plain+=("$p"); restarted+=("$r")
  echo "round $round: first start $p ms (CPU ${plain_cpu[-1]} ms), restart after SIGKILL $r ms (CPU ${restarted_cpu[-1]} ms), exec to first forwarded batch"
done
summary() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%d [%d-%d]", a[int((NR+1)/2)], a[1], a[NR]}'; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "first start:           $(summary "${plain[@]}") ms, CPU $(summary "${plain_cpu[@]}") ms, median [min-max] of $ROUNDS"
echo "restart after SIGKILL: $(summary "${restarted[@]}") ms, CPU $(summary "${restarted_cpu[@]}") ms, median [min-max] of $ROUNDS"
echo "restart / first start: $(awk -v r="$(median "${restarted[@]}")" -v p="$(median "${plain[@]}")" 'BEGIN {printf "%.2f", r / p}')"
echo "last restart's phases: $(grep -o 'start-up (ms since exec): .*' "$WORK/run-restart-$ROUNDS.log")"
