#!/usr/bin/env bash
# Forwarder's commands. On a fresh Debian 12 machine `./run.sh demo` and `./run.sh test` install what
# they need themselves (Debian packages, NuGet restore, BPF compile) and need root.
#
#   ./run.sh setup         install missing packages, mount bpffs
#   ./run.sh build         compile everything (Release), BPF objects included
#   ./run.sh test          all tests; last line: "N passed, N failed[, N skipped]"
#   ./run.sh demo          the forwarder on a namespace topology with live per-queue rates (~10 s)
#   ./run.sh bench [micro] end-to-end packet rates with same-run kernel baselines [or per-stage micro-benchmarks]
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
CONFIG=Release
BIN=$ROOT/src/Forwarder/bin/$CONFIG/net10.0
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Debian packages the commands use: libxdp/libbpf at run time, clang-14 and headers for the BPF
# objects, iproute2/ethtool/ping/socat for topologies, iperf3 for the demo, perf and gnuplot for bench.
PACKAGES=(libxdp1 libbpf1 libxdp-dev libbpf-dev clang-14 llvm-14 bpftool iproute2 ethtool iputils-ping
          socat iperf3 tcpdump curl linux-perf gnuplot-nox)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

need_root() { [ "$(id -u)" = 0 ] || die "'$1' needs root (network namespaces, XDP, AF_XDP): run it with sudo"; }

setup() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ((${#missing[@]})); then
    [ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}): run ./run.sh setup as root"
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq </dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
  fi
  command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is not installed: install dotnet-sdk-10.0"
  if [ "$(id -u)" = 0 ] && ! mountpoint -q /sys/fs/bpf; then
    say "mounting bpffs at /sys/fs/bpf"
    mount -t bpf bpf /sys/fs/bpf
  fi
}

build() {
  local target=${1:-Forwarder.sln}
  say "building $target ($CONFIG)"
  dotnet build "$target" -c $CONFIG --nologo -v quiet -clp:ErrorsOnly </dev/null
}

# Runs each test project in turn (the namespace tests pin workers to cores: they must not share them
# with other test runs) and sums the real results from the TRX files.
run_tests() {
  local results=$ROOT/artifacts/test-results passed=0 failed=0 skipped=0 status=0
  rm -rf "$results"; mkdir -p "$results"
  for project in tests/*/*.csproj; do
    local name; name=$(basename "$project" .csproj)
    say "testing $name"
    if ! dotnet test "$project" -c $CONFIG --no-build --nologo \
         --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
         --results-directory "$results" </dev/null; then
      status=1
    fi
    local trx=$results/$name.trx
    if [ ! -f "$trx" ]; then
      echo "run.sh: $name produced no results (the test host failed to start or crashed)" >&2
      failed=$((failed + 1)); continue
    fi
    local counters; counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    local p f total executed
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
    f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
    total=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
    executed=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
    skipped=$((skipped + ${total:-0} - ${executed:-0}))
  done
  local summary="$passed passed, $failed failed"
  ((skipped)) && summary+=", $skipped skipped"
  echo "$summary" > "$results/summary.txt"
  echo "$summary"
  [ $status = 0 ] && [ $failed = 0 ]
}

demo() {
  need_root demo
  # shellcheck source=scripts/topology.sh
  source "$ROOT/scripts/topology.sh"
  # Globals, not locals: the EXIT trap runs after this function has returned.
  DEMO_PREFIX=fwdemo$$ DEMO_FWD_PID=""
  local p=$DEMO_PREFIX seconds=${DEMO_SECONDS:-10}
  cleanup() {
    trap - EXIT INT TERM
    if [ -n "$DEMO_FWD_PID" ]; then
      kill -TERM "$DEMO_FWD_PID" 2>/dev/null && wait "$DEMO_FWD_PID" 2>/dev/null || true
    fi
    topo_down "$DEMO_PREFIX"
    say "topology removed"
  }
  trap cleanup EXIT
  trap 'exit 130' INT TERM

  say "building topology: cli ─ rtr ─ lb (forwarder, 2 queues) ; rtr ─ sink (VIP $VIP)"
  topo_up "$p"
  say "starting the forwarder on $p-lb/l0: queues 0,1 on CPUs 0,1, VIP $VIP (any port, TCP+UDP)"
  nsenter --net=/run/netns/$p-lb dotnet "$BIN/forwarder.dll" run --iface l0 --queues 0,1 --cores 0,1 \
    --vip $VIP --next-hop-mac "$(topo_router_mac "$p")" --stats-interval 1 &
  DEMO_FWD_PID=$!
  for _ in $(seq 50); do ip -n "$p-lb" link show l0 | grep -q 'prog/xdp' && break; sleep 0.2; done
  sleep 1

  say "sink runs iperf3 on the VIP; the client sends UDP through the forwarder for ${seconds}s (4 flows)"
  ip netns exec "$p-sink" iperf3 -s -B $VIP -1 >/dev/null 2>&1 &
  sleep 0.5
  ip netns exec "$p-cli" iperf3 -c $VIP -u -b 4M -l 64 -P 4 -t "$seconds" --connect-timeout 3000 2>&1 \
    | grep -E 'receiver|SUM.*sender' | sed 's/^/iperf3: /' || true
  say "a ping to the forwarder's own address goes to the kernel, not to the forwarder:"
  ip netns exec "$p-cli" ping -c 2 -W 1 10.10.2.2 | tail -1
}

bench() {
  need_root bench
  if [ "${1:-}" = micro ]; then
    shift
    dotnet run -c $CONFIG --project bench/Forwarder.Benchmarks -- --filter "${@:-*}"
  else
    bash bench/e2e.sh "$@"
  fi
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  setup) setup ;;
  build) setup; build ;;
  test)  setup; build; run_tests ;;
  demo)  setup; build src/Forwarder/Forwarder.csproj; demo ;;
  bench) setup; build; bench "$@" ;;
  *) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; [ -z "$cmd" ] || exit 2 ;;
esac
