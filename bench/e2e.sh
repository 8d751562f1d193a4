#!/usr/bin/env bash
# End-to-end packet rates of the forwarder, with kernel baselines measured in the same run.
#
#   gen namespace                         lb namespace
#   trafficgen send (CPU 0) ─► g0-ID ═══ l0-ID ─► XDP_DROP | XDP_TX | forwarder (CPU 1)
#   trafficgen sink (drop)  ◄─ g0-ID ◄══ l0-ID ◄──────────── XDP_TX | forwarder
#
# The generator injects 64-byte UDP frames towards the VIP with BPF_PROG_RUN live frames (XDP_TX out
# of g0, so they arrive on l0); on a kernel that refuses live frames (EPERM, even to root) it sends
# them through an AF_XDP socket per CPU on g0 instead (copy mode: slower, and its skbs show in no XDP
# counter of g0, so "offered" is then the generator's own count). Cases (rate counted by, see "Counting" below):
#   drop       kernel XDP_DROP on l0                         l0: XDP_DROP verdicts
#   tx         kernel XDP_TX (MAC swap) on l0, back to g0    g0: frames arriving
#   fwd        the forwarder on l0 (1 queue), back to g0     g0: frames arriving
#   fwd2q      the forwarder on 2 queues, generator on 2 CPUs (see below)
#   lb         the forwarder load-balancing (run --config): the VIP in ipip mode to 3 backends,
#              otherwise as fwd; every frame goes back to g0 encapsulated (20 bytes longer), to the
#              router MAC = g0's, where it is counted whatever its backend
#   lbrx       lb with `run --receive-only`: every frame is received, parsed, hashed, looked up and
#              rewritten, then recycled to FILL instead of sent (the receive-side limit; compared with
#              XDP_DROP)                                     l0: frames put on the socket's RX ring
#   crx        the C reference for lbrx, placed and counted as lbrx: bench/CReference/rxdrop, a blind
#              AF_XDP receiver in C (libxdp's default program redirects every frame of queue 0 into one
#              copy-mode socket; the receiver only recycles RX to FILL) on LB_CPU, options CRX_OPTIONS
#              (e.g. --sleep: the forwarder's idle policy); its FINAL line is logged (compared with
#              XDP_DROP)                                     l0: frames put on the socket's RX ring
#   lb2q       lb on 2 queues, placed as fwd2q
#   lb-f1, lb-f1k, lb-f1m   lb with 1, 1,000 and 1,000,000 distinct flows from the generator
#   lb-b10, lb-b1k          lb with 10 and 1,000 backends in the configuration
#   upgrade    lb at a paced UPGRADE_RATE (default 100,000 frames/s), upgraded UPGRADES times (default 3)
#              to the same binary (`forwarder upgrade`) after UPGRADE_BASELINE seconds (default 10) of the
#              same load without upgrade (the same-run baseline); prints each phase's frames lost (reached
#              l0, by its XDP counter, less came back to g0) and each upgrade's gap (the successor's UPGRADE
#              line: from the predecessor's workers told to stop to the successor's first batch)
# Each case: warm-up, then RUNS windows of RUN_SECONDS; median [min-max] Mpps.
#
# Counting: at every window edge the script reads both veths' own counters (`ethtool -S`, per-queue
# XDP statistics) and records them; bench/BenchReport takes each case's rate from the interface where
# its frames stop: l0's rx_queue_*_xdp_drops (drop), l0's rx_queue_*_xdp_redirect (lbrx and crx: frames
# placed on the receiving AF_XDP RX ring; a redirect that finds that ring full or FILL empty fails and is
# counted in rx_queue_*_drops instead, so this is exactly what the receiver received), g0's
# rx_queue_*_xdp_packets (every case that sends frames back). Offered = g0's tx_queue_*_xdp_xmit +
# _xdp_xmit_errors (what the generator sent, taken by l0's ring or refused). The sink's counting XDP
# program still measures its own windows as a cross-check column; the forwarder's own figures are
# never used (its FINAL line is logged for comparison).
#
# Report: every window edge's counter readings go to a tab-separated file that bench/BenchReport reads:
# it prints each case's row after the case and the whole table at the end (median [min-max], ratio to
# the same run's XDP_TX, or XDP_DROP for lbrx and crx, offered, the sink's cross-check) and writes
# RESULTS_DIR/<date>-<host>.json and .png (gnuplot), with BenchmarkDotNet's results from
# `./run.sh bench micro` (MICRO_RESULTS, default BenchmarkDotNet.Artifacts/results) summarised if present.
# --smoke: 1 run of 1 s after 0.5 s of warm-up, cases drop tx fwd lb lbrx, report under
# artifacts/bench-smoke; exits non-zero unless every case has a non-zero rate and both files exist.
#
# CPUs (2 vCPUs): the generator runs on GEN_CPU, the load balancer on LB_CPU. l0's NAPI runs as
# kernel threads (threaded NAPI) pinned explicitly. In the kernel cases it is the load balancer and
# gets LB_CPU. In the forwarder cases (and crx) it goes to GEN_CPU, since a NAPI thread sharing the forwarder's
# core collapses copy-mode AF_XDP; there it runs at real-time priority NAPI_PRIO so that the
# generator cannot starve it. (Not in the kernel cases: there it would also starve ksoftirqd, which
# then holds the sink's deferred softirqs, and the tx rate jumps between about 3 and 9 Mpps.)
# The sink's NAPI (g0) keeps the kernel's default: a softirq on the CPU that sends to it, i.e.
# LB_CPU in the tx and fwd cases, charged to the sender alike. Waking a NAPI thread on the other
# CPU is slow on this VM and veth rings hold only 256 frames: a sink thread on GEN_CPU measured
# about half the rate in the tx case and two thirds in the fwd case.
#
# fwd2q: XDP frames land on the receiving veth queue numbered (sending CPU mod queue count), so two
# queues need two generator threads, on CPUs 0 and 1. l0's NAPI then runs as a softirq where it is
# raised: queue q's on CPU q, inside generator thread q's injection. With 2 vCPUs every CPU carries
# a generator thread, a worker and NAPI work, so this case shows multi-queue operation, not scaling.
#
# Usage: bench/e2e.sh [--runs N] [--seconds T] [--warmup W] [--cases "drop tx fwd fwd2q lb lbrx crx lb2q ..."]
#                     [--size BYTES] [--flows N] [--backends N] [--results DIR] [--smoke] [--no-build]
# The same settings as environment variables: RUNS, RUN_SECONDS, WARMUP, CASES, SIZE, FLOWS,
# BACKENDS (lb, lbrx, lb2q; default 3), RESULTS_DIR (default bench/results), MICRO_RESULTS, SMOKE=1,
# GEN_CPU, LB_CPU, NAPI_PRIO (default 50), CRX_OPTIONS (crx: more rxdrop options, e.g. --sleep),
# LB_OPTIONS (more `forwarder run` options for the load-balancing cases, e.g. "--idle-spin-us 40"),
# NO_BUILD=1, ARTIFACTS (build with --artifacts-path ARTIFACTS and run from there, rxdrop in
# ARTIFACTS/bin/CReference; default: each project's bin/Release, rxdrop in bench/CReference/bin).
# Needs root. Touches nothing outside its own two namespaces, which it removes on exit.
set -euo pipefail

RUNS=${RUNS:-3}
RUN_SECONDS=${RUN_SECONDS:-10}
WARMUP=${WARMUP:-3}
ALL_CASES="drop tx fwd fwd2q lb lbrx crx lb2q lb-f1 lb-f1k lb-f1m lb-b10 lb-b1k upgrade"
CASES=${CASES:-$ALL_CASES}
SIZE=${SIZE:-64}
FLOWS=${FLOWS:-1024}
BACKENDS=${BACKENDS:-3}
SMOKE=${SMOKE:-0}
UPGRADE_RATE=${UPGRADE_RATE:-100000}
UPGRADES=${UPGRADES:-3}
UPGRADE_BASELINE=${UPGRADE_BASELINE:-10}
RESULTS_DIR=${RESULTS_DIR:-}
MICRO_RESULTS=${MICRO_RESULTS:-}
GEN_CPU=${GEN_CPU:-0}
LB_CPU=${LB_CPU:-1}
NAPI_PRIO=${NAPI_PRIO:-50}
NO_BUILD=${NO_BUILD:-0}
CRX_OPTIONS=${CRX_OPTIONS:-}
LB_OPTIONS=${LB_OPTIONS:-}
ARTIFACTS=${ARTIFACTS:-}
VIP=10.100.0.1
VIP_PORT=80
# lb cases: backends 10.200.x.y, routed nowhere; the sink counts the encapsulated frames at g0.

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --seconds) RUN_SECONDS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --cases) CASES=$2; shift 2 ;;
    --size) SIZE=$2; shift 2 ;;
    --flows) FLOWS=$2; shift 2 ;;
    --backends) BACKENDS=$2; shift 2 ;;
    --results) RESULTS_DIR=$2; shift 2 ;;
    --smoke) SMOKE=1; shift ;;
    --no-build) NO_BUILD=1; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "e2e.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'e2e.sh: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (network namespaces, XDP)"
command -v ethtool >/dev/null || die "needs ethtool (the interfaces' counters): ./run.sh setup installs it"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ "$SMOKE" = 1 ]; then
  RUNS=1 RUN_SECONDS=1 WARMUP=0.5
  [ "$CASES" = "$ALL_CASES" ] && CASES="drop tx fwd lb lbrx"
  RESULTS_DIR=${RESULTS_DIR:-$ROOT/artifacts/bench-smoke}
fi
RESULTS_DIR=${RESULTS_DIR:-$ROOT/bench/results}
MICRO_RESULTS=${MICRO_RESULTS:-$ROOT/BenchmarkDotNet.Artifacts/results}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# --- binaries ---------------------------------------------------------------------------------
if [ -n "$ARTIFACTS" ]; then
  BUILD_ARGS=(--artifacts-path "$ARTIFACTS")
  GEN_DLL=$ARTIFACTS/bin/TrafficGen/release/trafficgen.dll
  FWD_DLL=$ARTIFACTS/bin/Forwarder/release/forwarder.dll
  REPORT_DLL=$ARTIFACTS/bin/BenchReport/release/benchreport.dll
  RXDROP_DIR=$ARTIFACTS/bin/CReference
else
  BUILD_ARGS=()
  GEN_DLL=$ROOT/bench/TrafficGen/bin/Release/net10.0/trafficgen.dll
  FWD_DLL=$ROOT/src/Forwarder/bin/Release/net10.0/forwarder.dll
  REPORT_DLL=$ROOT/bench/BenchReport/bin/Release/net10.0/benchreport.dll
  RXDROP_DIR=$ROOT/bench/CReference/bin
fi
RXDROP=$RXDROP_DIR/rxdrop
wants_forwarder() { [[ " $CASES " == *" fwd"* || " $CASES " == *" lb"* ]]; }
wants_rxdrop() { [[ " $CASES " == *" crx "* ]]; }
if [ "$NO_BUILD" != 1 ]; then
  say "building (Release)"
  dotnet build "$ROOT/bench/TrafficGen/TrafficGen.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly "${BUILD_ARGS[@]}" </dev/null
  dotnet build "$ROOT/bench/BenchReport/BenchReport.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly "${BUILD_ARGS[@]}" </dev/null
  if wants_forwarder; then
    dotnet build "$ROOT/src/Forwarder/Forwarder.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly "${BUILD_ARGS[@]}" </dev/null
  fi
  if wants_rxdrop; then bash "$ROOT/bench/CReference/build.sh" "$RXDROP_DIR"; fi
fi
[ -f "$GEN_DLL" ] || die "$GEN_DLL not found: build first or drop --no-build"
[ -f "$REPORT_DLL" ] || die "$REPORT_DLL not found: build first or drop --no-build"
if wants_forwarder && [ ! -f "$FWD_DLL" ]; then die "$FWD_DLL not found: build first or drop --no-build"; fi
if wants_rxdrop && [ ! -x "$RXDROP" ]; then die "$RXDROP not found: build first (./run.sh build) or drop --no-build"; fi

# --- topology ---------------------------------------------------------------------------------
ID=$(($$ % 100000))
GEN_NS=e2e$ID-gen
LB_NS=e2e$ID-lb
G_IF=g0-$ID # unique names: the NAPI threads are named after the interface, across namespaces
L_IF=l0-$ID
LOGS=$(mktemp -d /tmp/e2e.XXXXXX)
WINDOWS=$LOGS/windows.tsv # the records bench/BenchReport reads (see its BenchRun.cs)
STEM=$(date -u +%Y-%m-%d)-$(hostname -s)
PIDS=()
CREATED=() # only namespaces this run created are removed

cleanup() {
  trap - EXIT INT TERM
  stop_all
  local ns
  for ns in "${CREATED[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  say "namespaces removed; logs in $LOGS"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Background processes run with SIGINT ignored (non-interactive shell): stop them with SIGTERM.
stop_all() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
}

say "topology: $GEN_NS/$G_IF <-> $LB_NS/$L_IF (2 queues each, MTU 1500)"
ip netns add "$GEN_NS"; CREATED+=("$GEN_NS")
ip netns add "$LB_NS"; CREATED+=("$LB_NS")
ip link add "$G_IF" netns "$GEN_NS" mtu 1500 numrxqueues 2 numtxqueues 2 type veth \
  peer name "$L_IF" netns "$LB_NS" mtu 1500 numrxqueues 2 numtxqueues 2
for pair in "$GEN_NS $G_IF" "$LB_NS $L_IF"; do
  set -- $pair
  ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip -n "$1" link set lo up
  ip -n "$1" link set "$2" up
done
mac_of() { ip -n "$1" -o link show "$2" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'; }
G_MAC=$(mac_of "$GEN_NS" "$G_IF")
L_MAC=$(mac_of "$LB_NS" "$L_IF")

# --- helpers ----------------------------------------------------------------------------------
# start NAME NS CMD...: runs CMD in NS in the background, output to $LOGS/NAME.log. nsenter execs
# CMD, so $! is CMD's own pid (a backgrounded shell function would give a subshell's pid instead).
start() {
  local name=$1 ns=$2; shift 2
  nsenter --net="/run/netns/$ns" "$@" >"$LOGS/$name.log" 2>&1 &
  PIDS+=($!)
  LAST_PID=$!
}

# wait_line NAME PATTERN [SECONDS]: waits until NAME's log has a line matching PATTERN.
wait_line() {
  local name=$1 pattern=$2 limit=${3:-60}
  for _ in $(seq $((limit * 10))); do
    grep -q "$pattern" "$LOGS/$name.log" 2>/dev/null && return 0
    kill -0 "$LAST_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$LOGS/$name.log" >&2
  die "$name did not print '$pattern'"
}

# napi_on NS IF CPU [PRIO]: runs IF's NAPI as kernel threads pinned to CPU, at real-time priority
# PRIO when given and positive. The threads exist while an XDP program is attached; the setting
# outlives them.
napi_on() {
  local ns=$1 dev=$2 cpu=$3 prio=${4:-0} tid
  ip netns exec "$ns" sh -c "echo 1 > /sys/class/net/$dev/threaded"
  sleep 0.2
  for tid in $(ps -eLo tid=,comm= | awk -v p="napi/$dev-" 'index($2, p) == 1 { print $1 }'); do
    taskset -pc "$cpu" "$tid" >/dev/null
    if [ "$prio" -gt 0 ]; then chrt -f -p "$prio" "$tid"; fi
  done
}

napi_softirq() { # napi_softirq NS IF: the kernel's default, NAPI as a softirq on the CPU that raises it
  ip netns exec "$1" sh -c "echo 0 > /sys/class/net/$2/threaded"
}

# sample_counters CASE EDGE: reads both veths' own counters (ethtool -S: per-queue XDP statistics) and
# appends one ifstat record per interface (see bench/BenchReport/BenchRun.cs): "ifstat CASE EDGE SIDE
# TIME_NS" and the counter lines, tab-separated. Each interface's time is the middle of its reading
# (EPOCHREALTIME: no process for the clock), so each side's rates are timed by its own readings;
# only nsenter/ethtool run as processes, so the reading disturbs the case as little as it can.
sample_counters() {
  local t0 t1 t2 g l # times in microseconds (EPOCHREALTIME has 6 decimals)
  t0=${EPOCHREALTIME/[.,]/}; g=$(nsenter --net="/run/netns/$GEN_NS" ethtool -S "$G_IF")
  t1=${EPOCHREALTIME/[.,]/}; l=$(nsenter --net="/run/netns/$LB_NS" ethtool -S "$L_IF")
  t2=${EPOCHREALTIME/[.,]/}
  {
    ifstat_record "$1" "$2" gen $(((t0 + t1) * 500)) "$g"
    ifstat_record "$1" "$2" lb $(((t1 + t2) * 500)) "$l"
  } >>"$WINDOWS"
}
ifstat_record() { # CASE EDGE SIDE TIME_NS TEXT: TEXT's lines after ethtool's header, blanks trimmed
  local record="ifstat"$'\t'"$1"$'\t'"$2"$'\t'"$3"$'\t'"$4" line header=1 # builtins only: no process
  while IFS= read -r line; do                                              # competes with the case
    if [ "$header" = 1 ]; then header=0; continue; fi
    record+=$'\t'"${line#"${line%%[![:space:]]*}"}"
  done <<<"$5"
  printf '%s\n' "$record"
}

sink() { # sink NAME NS IF ACTION [measure]
  local name=$1 ns=$2 dev=$3 action=$4 measure=${5:-}
  local args=(sink --iface "$dev" --action "$action")
  [ -n "$measure" ] && args+=(--runs "$RUNS" --run-seconds "$RUN_SECONDS" --warmup "$WARMUP")
  start "$name" "$ns" taskset -c "$GEN_CPU" dotnet "$GEN_DLL" "${args[@]}"
  wait_line "$name" '^READY'
}

generate() { # generate CPUS [FLOWS]: offers until stopped. Over 50,000 flows take 20 source addresses
  local flows=${2:-$FLOWS} sources=1 # (source ports run from 10000 to at most 65535)
  if [ "$flows" -gt 50000 ]; then sources=20; flows=$(( (flows + 19) / 20 * 20 )); fi
  CASE_FLOWS=$flows
  start gen "$GEN_NS" dotnet "$GEN_DLL" send --iface "$G_IF" --dst-mac "$L_MAC" --dst "$VIP" --dst-port "$VIP_PORT" \
    --size "$SIZE" --flows "$flows" --sources "$sources" --cpus "$1" --duration 0 --interval 0
  GEN_PID=$LAST_PID
  wait_line gen '^SENDING'
}

stop_generator() { # the generator prints its OFFERED line on SIGTERM
  kill -TERM "$GEN_PID" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$GEN_PID" 2>/dev/null || break; sleep 0.1; done
}

# result NAME: waits for the measuring sink NAME to finish, stops the generator, prints the RESULT line.
result() {
  local name=$1
  local limit; limit=$(awk -v w="$WARMUP" -v r="$RUNS" -v s="$RUN_SECONDS" 'BEGIN { printf "%d", (w + r * s + 90) * 10 }')
  for _ in $(seq "$limit"); do
    grep -q '^RESULT' "$LOGS/$name.log" && break
    sleep 0.1
  done
  stop_generator
  local line; line=$(grep '^RESULT' "$LOGS/$name.log" || true)
  [ -n "$line" ] && [ "$line" != "RESULT none" ] || { cat "$LOGS/$name.log" >&2; echo "e2e.sh: $name measured nothing" >&2; return 1; }
  echo "$line"
}


# measure CASE [SINK]: the warm-up, then RUNS windows of RUN_SECONDS, both interfaces' counters read at
# every edge; then the measuring sink's own windows (if the case has one: the cross-check, measured
# over its own windows of the same plan from its first frame) and the generator's claimed rate.
measure() {
  local c=$1 sink=${2:-} r
  sleep "$WARMUP"
  sample_counters "$c" 0
  for ((r = 1; r <= RUNS; r++)); do
    sleep "$RUN_SECONDS"
    sample_counters "$c" "$r"
  done
  if [ -n "$sink" ]; then
    result "$sink" >/dev/null || echo "e2e.sh: $c: the sink's cross-check is missing" >&2
    grep '^RUN ' "$LOGS/$sink.log" | sed "s/^/window\t$c\t/" >>"$WINDOWS" || true
  else
    stop_generator
  fi
  local offered; offered=$(sed -n 's/^OFFERED.*mpps=\([^ ]*\).*/\1/p' "$LOGS/gen.log")
  printf 'offered\t%s\t%s\n' "$c" "${offered:--}" >>"$WINDOWS"
}

# assemble FILE: the records so far in the order bench/BenchReport reads them (case records first).
assemble() { { grep '^meta' "$WINDOWS"; cat "$WINDOWS.cases" 2>/dev/null; grep -v '^meta' "$WINDOWS"; } >"$1"; }

finish_case() { # stops everything, keeping the logs of this case under CASE-*.log
  stop_all
  local f
  for f in "$LOGS"/*.log; do case "$(basename "$f")" in *-*) ;; *) mv "$f" "$LOGS/$1-$(basename "$f")" ;; esac; done
}

forwarder() { # forwarder QUEUES CORES
  start fwd "$LB_NS" dotnet "$FWD_DLL" run --iface "$L_IF" --queues "$1" --cores "$2" --vip "$VIP" \
    --next-hop-mac "$G_MAC" --xdp-mode native --stats-interval 1
  wait_line fwd '^READY'
}

# load_balancer QUEUES CORES [BACKENDS [RUN_OPTIONS...]]: the forwarder under a configuration file
# written here (the same interface, queues and cores as forwarder QUEUES CORES; router MAC g0's, as
# --next-hop-mac there): one VIP matching the generator's frames (UDP to VIP:VIP_PORT), ipip to
# BACKENDS backends; RUN_OPTIONS go to `forwarder run` (lbrx: --receive-only).
load_balancer() {
  local config=$LOGS/lb.yaml n=${3:-$BACKENDS} i extra=("${@:4}")
  CASE_BACKENDS=$n
  {
    echo "interface:"
    echo "  name: $L_IF"
    echo "  queues: [$1]"
    echo "  cores: [$2]"
    echo "  xdp_mode: native"
    echo "router_mac: $G_MAC"
    echo "vips:"
    echo "  - address: $VIP"
    echo "    port: $VIP_PORT"
    echo "    protocol: udp"
    echo "    mode: ipip"
    echo "    backends:"
    for ((i = 0; i < n; i++)); do echo "      - address: 10.200.$((i / 250)).$((i % 250 + 1))"; done
  } >"$config"
  local more
  read -ra more <<<"$LB_OPTIONS"
  start fwd "$LB_NS" dotnet "$FWD_DLL" run --config "$config" --stats-interval 1 "${extra[@]}" "${more[@]}"
  wait_line fwd '^READY'
}

# idle_percent: how idle the whole machine was over the last second. Other work on these CPUs
# lowers every figure, so each case says how quiet the machine was before it started.
idle_percent() {
  local a b
  a=($(head -1 /proc/stat)); sleep 1; b=($(head -1 /proc/stat))
  local total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
  echo $((100 * (b[4] - a[4] + b[5] - a[5]) / (total > 0 ? total : 1)))
}

# --- cases ------------------------------------------------------------------------------------
case_drop() {
  sink rx "$LB_NS" "$L_IF" drop measure
  napi_on "$LB_NS" "$L_IF" "$LB_CPU"
  generate "$GEN_CPU"
  measure drop rx
}

case_tx() {
  sink back "$GEN_NS" "$G_IF" drop measure
  sink lb "$LB_NS" "$L_IF" tx
  napi_on "$LB_NS" "$L_IF" "$LB_CPU"
  generate "$GEN_CPU"
  measure tx back
}

case_fwd() {
  sink back "$GEN_NS" "$G_IF" drop measure
  forwarder 0 "$LB_CPU"
  napi_on "$LB_NS" "$L_IF" "$GEN_CPU" "$NAPI_PRIO"
  generate "$GEN_CPU"
  measure fwd back
}

case_fwd2q() {
  sink back "$GEN_NS" "$G_IF" drop measure
  forwarder 0,1 "$GEN_CPU,$LB_CPU"
  napi_softirq "$LB_NS" "$L_IF"
  generate "$GEN_CPU,$LB_CPU"
  measure fwd2q back
}

case_lb() {
  sink back "$GEN_NS" "$G_IF" drop measure
  load_balancer 0 "$LB_CPU"
  napi_on "$LB_NS" "$L_IF" "$GEN_CPU" "$NAPI_PRIO"
  generate "$GEN_CPU"
  measure lb back
}

# lbrx: lb with --receive-only, placed as lb. Nothing comes back, so there is no sink: the rate is what
# l0 placed on the forwarder's RX ring (compared with XDP_DROP: the receive side's kernel limit).
case_lbrx() {
  load_balancer 0 "$LB_CPU" "$BACKENDS" --receive-only
  napi_on "$LB_NS" "$L_IF" "$GEN_CPU" "$NAPI_PRIO"
  generate "$GEN_CPU"
  measure lbrx
}

# crx: the C reference for lbrx, placed as lbrx (receiver on LB_CPU, l0's NAPI on GEN_CPU at NAPI_PRIO) and counted as
# lbrx (what l0 placed on the socket's RX ring): what plain C receives here, in the same run and placement.
case_crx() {
  local extra
  read -ra extra <<<"$CRX_OPTIONS"
  start crx "$LB_NS" "$RXDROP" --iface "$L_IF" --queue 0 --cpu "$LB_CPU" "${extra[@]}"
  wait_line crx '^READY'
  napi_on "$LB_NS" "$L_IF" "$GEN_CPU" "$NAPI_PRIO"
  generate "$GEN_CPU"
  measure crx
}

case_lb_variant() { # case_lb_variant NAME FLOWS BACKENDS: lb with other flow or backend counts
  sink back "$GEN_NS" "$G_IF" drop measure
  load_balancer 0 "$LB_CPU" "$3"
  napi_on "$LB_NS" "$L_IF" "$GEN_CPU" "$NAPI_PRIO"
  generate "$GEN_CPU" "$2"
  measure "$1" back
}
case_lb-f1() { case_lb_variant lb-f1 1 "$BACKENDS"; }
case_lb-f1k() { case_lb_variant lb-f1k 1000 "$BACKENDS"; }
case_lb-f1m() { case_lb_variant lb-f1m 1000000 "$BACKENDS"; }
case_lb-b10() { case_lb_variant lb-b10 "$FLOWS" 10; }
case_lb-b1k() { case_lb_variant lb-b1k "$FLOWS" 1000; }

# counter_sum NS IF REGEX: the sum of IF's ethtool -S counters whose name matches REGEX.
counter_sum() {
  nsenter --net="/run/netns/$1" ethtool -S "$2" | awk -v re="$3" '$1 ~ re { s += $2 } END { printf "%d", s }'
}

case_upgrade() {
  sink back "$GEN_NS" "$G_IF" drop
  load_balancer 0 "$LB_CPU"
  napi_on "$LB_NS" "$L_IF" "$GEN_CPU" "$NAPI_PRIO"
  local arrived0 arrived1 arrived2 back0 back1 back2 dropped0 dropped1 dropped2 t0 t1 t2 i
  CASE_FLOWS=$FLOWS
  start gen "$GEN_NS" dotnet "$GEN_DLL" send --iface "$G_IF" --dst-mac "$L_MAC" --dst "$VIP" --dst-port "$VIP_PORT" \
    --size "$SIZE" --flows "$FLOWS" --cpus "$GEN_CPU" --rate "$UPGRADE_RATE" --duration 0 --interval 0
  GEN_PID=$LAST_PID
  wait_line gen '^SENDING'
  sleep "$WARMUP"
  # Phase 1, the same-run baseline: the same load for UPGRADE_BASELINE seconds, no upgrade. Phase 2: the upgrades.
  # Each phase's loss: l0's rx drops (a frame its XDP program redirected that found the forwarder's RX ring full or
  # FILL empty: where a frame the forwarder should have taken is lost); beside it, frames that reached l0 less
  # frames back at g0 (off by what is in flight at the phase's edges).
  arrived0=$(counter_sum "$LB_NS" "$L_IF" '^rx_queue_[0-9]+_xdp_packets:$'); back0=$(counter_sum "$GEN_NS" "$G_IF" '^rx_queue_[0-9]+_xdp_packets:$')
  dropped0=$(counter_sum "$LB_NS" "$L_IF" '^rx_queue_[0-9]+_drops:$')
  t0=$EPOCHREALTIME
  sample_counters upgrade 0
  sleep "$UPGRADE_BASELINE"
  arrived1=$(counter_sum "$LB_NS" "$L_IF" '^rx_queue_[0-9]+_xdp_packets:$'); back1=$(counter_sum "$GEN_NS" "$G_IF" '^rx_queue_[0-9]+_xdp_packets:$')
  dropped1=$(counter_sum "$LB_NS" "$L_IF" '^rx_queue_[0-9]+_drops:$')
  t1=$EPOCHREALTIME
  local d_before d_upgraded d_after
  for ((i = 1; i <= UPGRADES; i++)); do
    d_before=$(counter_sum "$LB_NS" "$L_IF" '^rx_queue_[0-9]+_drops:$')
    nsenter --net="/run/netns/$LB_NS" dotnet "$FWD_DLL" upgrade 2>&1 | sed "s/^/upgrade $i: /"
    d_upgraded=$(counter_sum "$LB_NS" "$L_IF" '^rx_queue_[0-9]+_drops:$')
    sleep 1
    d_after=$(counter_sum "$LB_NS" "$L_IF" '^rx_queue_[0-9]+_drops:$')
    # Where the frames were lost: while the new process started and took over (the command's run), or in the second after.
    echo "upgrade $i: lost at l0 $((d_upgraded - d_before)) until it answered, $((d_after - d_upgraded)) in the second after"
  done
  arrived2=$(counter_sum "$LB_NS" "$L_IF" '^rx_queue_[0-9]+_xdp_packets:$'); back2=$(counter_sum "$GEN_NS" "$G_IF" '^rx_queue_[0-9]+_xdp_packets:$')
  dropped2=$(counter_sum "$LB_NS" "$L_IF" '^rx_queue_[0-9]+_drops:$')
  t2=$EPOCHREALTIME
  sample_counters upgrade 1
  stop_generator
  printf 'offered\t%s\t%s\n' upgrade "$(sed -n 's/^OFFERED.*mpps=\([^ ]*\).*/\1/p' "$LOGS/gen.log")" >>"$WINDOWS"
  grep '^UPGRADE ' "$LOGS/fwd.log" | sed 's/^/upgrade: successor /' || echo "upgrade: no successor took over" >&2
  grep -o 'starting .*; forwarding goes on' "$LOGS/fwd.log" | sed 's/^/upgrade: /' || true # where each new process started (cores, nice)
  awk -v r="$UPGRADE_RATE" -v n="$UPGRADES" -v a0="$arrived0" -v a1="$arrived1" -v a2="$arrived2" -v b0="$back0" -v b1="$back1" -v b2="$back2" -v d0="$dropped0" -v d1="$dropped1" -v d2="$dropped2" \
      -v t0="$t0" -v t1="$t1" -v t2="$t2" 'BEGIN {
    printf "upgrade: at %d frames/s, baseline without upgrade: %.1f s, %d frames reached l0, %d came back (difference %d), lost at l0 %d\n", r, t1 - t0, a1 - a0, b1 - b0, (a1 - a0) - (b1 - b0), d1 - d0
    printf "upgrade: %d upgrades: %.1f s, %d frames reached l0, %d came back (difference %d), lost at l0 %d\n", n, t2 - t1, a2 - a1, b2 - b1, (a2 - a1) - (b2 - b1), d2 - d1
  }'
}

case_lb2q() {
  sink back "$GEN_NS" "$G_IF" drop measure
  load_balancer 0,1 "$GEN_CPU,$LB_CPU"
  napi_softirq "$LB_NS" "$L_IF"
  generate "$GEN_CPU,$LB_CPU"
  measure lb2q back
}

say "cases: $CASES; ${SIZE}-byte UDP, $FLOWS flows, warm-up ${WARMUP}s, $RUNS x ${RUN_SECONDS}s; generator CPU $GEN_CPU, lb CPU $LB_CPU"
{
  printf 'meta\t%s\t%s\n' date "$(date -u +%Y-%m-%d)" started "$(date -u +%FT%TZ)" host "$(hostname -s)" \
    kernel "$(uname -r)" cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" nproc "$(nproc)" \
    runs "$RUNS" run_seconds "$RUN_SECONDS" warmup_seconds "$WARMUP" frame_bytes "$SIZE" smoke "$SMOKE" \
    generator_cpu "$GEN_CPU" lb_cpu "$LB_CPU" commit "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo -)"
} >"$WINDOWS"
CASES=$(tr ' ' '\n' <<<"$CASES" | awk 'NF && !seen[$0]++' | tr '\n' ' ') # each case once: the report keys on names
for c in $CASES; do
  [[ " $ALL_CASES " == *" $c "* ]] || die "unknown case $c ($ALL_CASES)"
done
for c in $CASES; do
  idle=$(idle_percent)
  say "case $c (machine ${idle}% idle before it)"
  [ "$idle" -ge 90 ] || echo "e2e.sh: warning: other processes are using the CPUs; figures will be low and noisy" >&2
  CASE_FLOWS=- CASE_BACKENDS=-
  case $c in drop|tx|fwd|lb|lbrx|crx|lb-*|upgrade) queues=1 ;; *) queues=2 ;; esac
  "case_$c"
  printf 'case\t%s\t%s\t%s\t%s\t%s\n' "$c" "$CASE_FLOWS" "$CASE_BACKENDS" "$queues" "$idle" >>"$WINDOWS.cases"
  finish_case "$c"
  [ -f "$LOGS/$c-fwd.log" ] && { grep '^FINAL' "$LOGS/$c-fwd.log" | sed "s/^/$c forwarder: /" || true; }
  [ -f "$LOGS/$c-crx.log" ] && { grep '^FINAL' "$LOGS/$c-crx.log" | sed "s/^/$c rxdrop: /" || echo "e2e.sh: $c: rxdrop printed no FINAL line" >&2; }
  assemble "$LOGS/so-far.tsv" # this case's row (ratios once its baselines have run)
  dotnet "$REPORT_DLL" "$LOGS/so-far.tsv" --row "$c" | sed -n 2p || echo "e2e.sh: $c: no row" >&2
done

# The report: case records first (the windows refer to them), then the rest.
stop_all
mkdir -p "$RESULTS_DIR"
assemble "$RESULTS_DIR/$STEM.tsv"
REPORT_ARGS=("$RESULTS_DIR/$STEM.tsv" --out-dir "$RESULTS_DIR" --name "$STEM")
[ -d "$MICRO_RESULTS" ] && REPORT_ARGS+=(--micro "$MICRO_RESULTS")
[ "$SMOKE" = 1 ] && REPORT_ARGS+=(--check)
say "report"
dotnet "$REPORT_DLL" "${REPORT_ARGS[@]}"
