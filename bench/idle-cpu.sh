#!/usr/bin/env bash
# What an idle forwarder costs: its CPU time (utime + stime of the whole process) over SECONDS with no traffic at all,
# on a veth pair in a namespace of its own (native XDP, one queue, worker on CPU 1), after 2 s of settling.
# With -b, another build's forwarder is measured the same way right after, as the same-period baseline.
#
#   bench/idle-cpu.sh [-b BASELINE_BIN_DIR] [SECONDS]     (default 10 s; needs root)
#   BIN_DIR: a directory holding forwarder.dll, e.g. src/Forwarder/bin/Release/net10.0 of another worktree
# Prints one line per build: CPU ms over the window and the share of one core.
set -euo pipefail
cd "$(dirname "$0")/.."
baseline=
while getopts "b:h" opt; do
  case $opt in
    b) baseline=$OPTARG ;;
    *) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
seconds=${1:-10}
[ "$(id -u)" -eq 0 ] || { echo "idle-cpu.sh: needs root (XDP, namespaces)" >&2; exit 2; }

ns=idlecpu-$$
pid=
log=$(mktemp)
cleanup() {
  [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT

measure() { # measure NAME BIN_DIR
  ip netns add "$ns"
  ip -n "$ns" link add a0 type veth peer name b0
  ip -n "$ns" link set a0 up
  ip -n "$ns" link set b0 up
  ip netns exec "$ns" dotnet "$2/forwarder.dll" run --iface a0 --queues 0 --cores 1 --vip 10.77.0.9:80/udp \
    --next-hop-mac 02:00:00:00:00:01 --xdp-mode native --stats-interval 0 >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do grep -q '^READY' "$log" && break; sleep 0.1; done
  grep -q '^READY' "$log" || { cat "$log" >&2; echo "idle-cpu.sh: $1 did not start" >&2; exit 1; }
  sleep 2
  local hz t0 t1
  hz=$(getconf CLK_TCK)
  t0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  sleep "$seconds"
  t1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=
  ip netns del "$ns"
  awk -v n="$1" -v d=$((t1 - t0)) -v hz="$hz" -v s="$seconds" \
    'BEGIN { printf "%-9s %6.0f ms of CPU in %d s: %.2f%% of one core\n", n, d * 1000 / hz, s, d * 100 / hz / s }'
}

measure "this" src/Forwarder/bin/Release/net10.0
[ -z "$baseline" ] || measure "baseline" "$baseline"
