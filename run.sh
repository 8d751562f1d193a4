#!/usr/bin/env bash
# Forwarder's commands. On a fresh Debian 12 machine `./run.sh demo` and `./run.sh test` install what
# they need themselves (Debian packages, NuGet restore, BPF compile) and need root.
#
#   ./run.sh setup         install missing packages, mount bpffs
#   ./run.sh build         compile everything (Release), BPF objects included
#   ./run.sh test          all tests and a bench smoke run; last line: "N passed, N failed[, N skipped]"
#   ./run.sh demo          the forwarder balancing HTTP over three nginx backends, live per-backend counts (~10 s)
#   ./run.sh demo cluster  three forwarder nodes behind an ECMP router (BIRD, BGP, BFD): kill -9, drain, rejoin
#   ./run.sh bench [micro] end-to-end packet rates with same-run kernel baselines, report in bench/results
#                          [or per-stage micro-benchmarks]; bench --smoke: a few seconds per case;
#                          bench launches: one micro-benchmark in N launches, its spread
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
CONFIG=Release
BIN=$ROOT/src/Forwarder/bin/$CONFIG/net10.0
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Debian packages the commands use: libxdp/libbpf at run time, clang-14 and headers for the BPF
# objects, iproute2/ethtool/ping/socat for topologies, nginx, curl and wrk as the demo's and tests'
# backends and clients, jq for the demo to read the forwarder's `status --json` and `stats --json`,
# iperf3 for manual runs on scripts/lb-topology.sh, perf and gnuplot for bench, bird2 as the BGP speaker
# of the liveness device's tests and of the cluster demo's and tests' router and nodes
# (scripts/cluster-topology.sh), gcc for bench's C reference receiver (bench/CReference).
PACKAGES=(libxdp1 libbpf1 libxdp-dev libbpf-dev clang-14 llvm-14 bpftool iproute2 ethtool iputils-ping
          socat iperf3 tcpdump curl nginx wrk jq linux-perf gnuplot-nox bird2 gcc)

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
  bash bench/CReference/build.sh # bench's C reference receiver (crx): a fraction of a second, only when changed
}

# Runs each test project in turn (the namespace tests pin workers to cores: they must not share them
# with other test runs) and sums the real results from the TRX files.
run_tests() {
  local results=$ROOT/artifacts/test-results passed=0 failed=0 skipped=0 status=0
  rm -rf "$results"; mkdir -p "$results"
  for project in tests/*/*.csproj; do
    # Libraries the tests share (tests/Forwarder.Testing) hold no tests of their own.
    grep -q '<IsTestProject>true</IsTestProject>' "$project" || continue
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
  # The bench smoke run counts as one test: every case must measure a non-zero rate and the report
  # and chart must be written (bench/e2e.sh --smoke; BENCH_SMOKE=0 skips it).
  if [ "${BENCH_SMOKE:-1}" = 0 ] || [ "$(id -u)" != 0 ]; then
    say "bench smoke run skipped (BENCH_SMOKE=0 or not root)"
    skipped=$((skipped + 1))
  else
    say "bench smoke run (bench/e2e.sh --smoke)"
    if bash bench/e2e.sh --smoke --no-build --results "$results/bench-smoke" </dev/null 2>&1 | tee "$results/bench-smoke.log"; then
      passed=$((passed + 1))
    else
      echo "run.sh: the bench smoke run failed (log: $results/bench-smoke.log)" >&2
      failed=$((failed + 1)); status=1
    fi
  fi
  list_failures "$results" || true # only a report: never the reason the run fails
  local summary="$passed passed, $failed failed"
  ((skipped)) && summary+=", $skipped skipped"
  echo "$summary" > "$results/summary.txt"
  echo "$summary"
  [ $status = 0 ] && [ $failed = 0 ]
}

# Names each failed test and the first lines of its message, so that a log's tail (all CI shows)
# says what failed.
list_failures() {
  local trx
  for trx in "$1"/*.trx; do
    [ -f "$trx" ] || continue
    awk '
      /<UnitTestResult / { failed = / outcome="Failed"/; inmsg = 0
        if (failed && match($0, /testName="[^"]*"/)) print "FAILED " substr($0, RSTART + 10, RLENGTH - 11) }
      failed && /<Message>/ { inmsg = 1; lines = 0; sub(/.*<Message>/, "") }
      failed && inmsg { done = sub(/<\/Message>.*/, ""); if (lines++ < 4) print "  " $0; if (done) { inmsg = 0; failed = 0 } }
    ' "$trx"
  done | sed 's/&quot;/"/g; s/&lt;/</g; s/&gt;/>/g; s/&apos;/'"'"'/g; s/&amp;/\&/g' | head -n 60
}

demo() {
  need_root demo
  # shellcheck source=scripts/lb-topology.sh
  source "$ROOT/scripts/lb-topology.sh"
  # Globals, not locals: the EXIT trap runs after this function has returned.
  DEMO_PREFIX=fwdemo$$ DEMO_DIR=$(mktemp -d /tmp/fwdemo.XXXXXX) DEMO_FWD_PID="" DEMO_CLIENT_PIDS=""
  local p=$DEMO_PREFIX dir=$DEMO_DIR seconds=${DEMO_SECONDS:-10} fwd="$BIN/forwarder.dll" b
  cleanup() {
    trap - EXIT INT TERM
    [ -z "$DEMO_CLIENT_PIDS" ] || kill $DEMO_CLIENT_PIDS 2>/dev/null || true
    demo_stop_forwarder
    lbtopo_down "$DEMO_PREFIX" "$DEMO_DIR"
    say "topology removed"
  }
  trap cleanup EXIT
  trap 'exit 130' INT TERM

  say "building topology: cli ─ rtr ─ segment { lb (forwarder on $LB_INTERFACE, 2 queues), b1 b2 b3 (nginx, VIP $LB_VIP on lo) }"
  lbtopo_up "$p" ipip
  lbtopo_nginx_start "$p" "$dir"
  say "backends: nginx answers its own name; the decap program strips the forwarder's ipip header in XDP"
  for b in "${LB_BACKENDS[@]}"; do
    nsenter --net="/run/netns/$p-$b" dotnet "$fwd" decap attach --iface "$LB_BACKEND_INTERFACE" | sed "s/^/  $b: /"
  done
  lbtopo_config "$p" ipip > "$dir/forwarder.yaml"
  say "starting the forwarder: forwarder run --config forwarder.yaml"
  sed 's/^/  /' "$dir/forwarder.yaml"
  nsenter --net="/run/netns/$p-lb" dotnet "$fwd" run --config "$dir/forwarder.yaml" > "$dir/forwarder.log" 2>&1 &
  DEMO_FWD_PID=$!
  for _ in $(seq 100); do grep -q '^READY' "$dir/forwarder.log" && break; sleep 0.2; done
  grep -q '^READY' "$dir/forwarder.log" || { cat "$dir/forwarder.log" >&2; die "the forwarder did not start"; }
  grep '^READY' "$dir/forwarder.log" | sed 's/^/  /'

  say "clients for ${seconds}s: wrk (16 connections; nginx closes each one, so every request is a new flow) and a curl loop"
  ip netns exec "$p-cli" wrk --threads 2 --connections 16 --duration "${seconds}s" --timeout 2s --latency \
    "http://$LB_VIP/" > "$dir/wrk.txt" 2>&1 &
  local wrk_pid=$!
  demo_curl_loop "$p" "$seconds" > "$dir/curl.txt" &
  DEMO_CLIENT_PIDS="$wrk_pid $!"
  demo_live_counts "$dir" "$seconds" "$wrk_pid"
  wait $DEMO_CLIENT_PIDS 2>/dev/null || true
  DEMO_CLIENT_PIDS=""
  demo_failover "$p" "$dir"
  say "the forwarder's live view (forwarder stats --once, from its control API):"
  demo_cli stats --once 2>&1 | sed 's/^/  /' || true
  demo_summary "$p" "$dir"
}

# Runs a forwarder command in lb's namespace, against the demo forwarder's control API.
demo_cli() { nsenter --net="/run/netns/$DEMO_PREFIX-lb" dotnet "$BIN/forwarder.dll" "$@"; }

# The backends' field FIELD (pps, health, ...) in one `status --json` or `stats --json` document on
# stdin, in LB_BACKEND_ADDRESSES's order, tab-separated ("-" for a backend the document lacks).
demo_backend_field() {
  jq -r --arg field "$1" --arg backends "${LB_BACKEND_ADDRESSES[*]}" \
    '[($backends | split(" "))[] as $b | ([.vips[].backends[] | select(.backend == $b) | .[$field]] | first // "-")] | @tsv'
}

# Packet rates as the forwarder's own views print them: "12 pps", "3.4 kpps", "1.25 Mpps", joined by ", ".
demo_pps() {
  awk '{ for (i = 1; i <= NF; i++) {
           v = $i
           s = v == "-" ? "-" : v >= 1e6 ? sprintf("%.2f Mpps", v / 1e6) : v >= 1e3 ? sprintf("%.1f kpps", v / 1e3) : sprintf("%d pps", v)
           printf "%s%s", (i > 1 ? ", " : ""), s
         }
         print "" }'
}

# A backend fails and recovers under client load: b2's nginx is stopped, then started again, while a
# client opens a new connection every ~20 ms. Prints how long new connections still reached b2 (the
# detection time, from the client's side), when the forwarder's status (status --json, polled) showed
# b2 down and up again, and how soon b2 was back.
demo_failover() {
  local p=$1 dir=$2 loop poll killed restarted
  say "failover: stopping b2's nginx under client load (health check: TCP connect every 100 ms, down after 2 failures)"
  (
    end=$((SECONDS + 6))
    while [ $SECONDS -lt $end ]; do
      t=$(date +%s%N)
      r=$(ip netns exec "$p-cli" curl -s --max-time 1 "http://$LB_VIP/" || echo failed)
      echo "$t $r"
      sleep 0.02
    done
  ) > "$dir/failover.txt" &
  loop=$!
  # The forwarder's view of b2's health, as fast as status --json answers: "TIME_NS up|down".
  (
    end=$((SECONDS + 6))
    while [ $SECONDS -lt $end ]; do
      t=$(date +%s%N)
      h=$(demo_cli status --json 2>/dev/null | demo_backend_field health | cut -f2) || h=""
      echo "$t ${h:-unknown}"
      sleep 0.05
    done
  ) > "$dir/failover-health.txt" &
  poll=$!
  DEMO_CLIENT_PIDS="$loop $poll"
  sleep 1.5
  killed=$(date +%s%N)
  kill "$(cat "$dir/b2/nginx.pid")" 2>/dev/null || true
  sleep 2
  restarted=$(date +%s%N)
  lbtopo_nginx_restart "$p" "$dir" b2
  wait $loop $poll 2>/dev/null || true
  DEMO_CLIENT_PIDS=""
  awk -v k="$killed" -v r="$restarted" '
    $1 >= k && $1 < r && ($2 == "failed" || $2 == "b2") { last = $1; failed += ($2 == "failed") }
    $1 >= r && $2 == "b2" && !back { back = $1 }
    { n++ }
    END {
      printf "  %d connections; after the stop %d failed, the last one to b2 started %d ms after it\n", n, failed, last ? (last - k) / 1e6 : 0
      if (back) printf "  b2 took connections again %d ms after its nginx restarted\n", (back - r) / 1e6
      else print "  b2 took no connection after its restart within the run"
    }' "$dir/failover.txt"
  awk -v k="$killed" -v r="$restarted" '
    $1 >= k && $2 == "down" && !down { down = $1 }
    $1 >= r && down && $2 == "up" && !up { up = $1 }
    NR == 1 { first = $1 } { n++; latest = $1 }
    END {
      printf "  forwarder (status --json every ~%d ms): ", (n > 1 ? (latest - first) / 1e6 / (n - 1) : 0)
      if (down) printf "b2 down %d ms after the stop", (down - k) / 1e6; else printf "b2 never shown down"
      if (up) printf ", up again %d ms after the restart\n", (up - r) / 1e6; else print ", not shown up again within the run"
    }' "$dir/failover-health.txt"
  printf '  forwarder (status --json) now: %s\n' "$(demo_cli status --json 2>/dev/null | jq -er \
    '"table version \(.version); " + ([.vips[].backends[] | "\(.backend) \(.health)"] | join(", ")) +
     (if (.down_backends | length) > 0 then "; marked down: " + ([.down_backends[].backend] | join(", ")) else "" end)' || echo "no answer")"
}

# Requests answered by each backend each second (from its nginx access log), and the packet rate the
# forwarder itself reports for each backend (stats --once --json over half of each second; its reading
# paces the loop).
demo_live_counts() {
  local dir=$1 seconds=$2 wrk_pid=$3 t prev=(0 0 0) now i line start last elapsed stamp rates
  printf '  %5s  %-18s %-18s %-18s  %s\n' time "b1 req/s (total)" "b2 req/s (total)" "b3 req/s (total)" "forwarder: packets/s to b1, b2, b3"
  start=$(date +%s%N) last=$start
  for ((t = 1; t <= seconds + 2; t++)); do
    rates=$(demo_cli stats --once --json --interval 0.5 2>/dev/null | demo_backend_field pps | demo_pps) || { rates="no reading"; sleep 1; }
    read -ra now <<< "$(lbtopo_nginx_counts "$dir")"
    stamp=$(date +%s%N) elapsed=$(( (stamp - last) / 1000000 )) last=$stamp
    line=""
    for i in 0 1 2; do line+=$(printf '%-19s' "$(( (now[i] - prev[i]) * 1000 / (elapsed ? elapsed : 1) )) (${now[i]})"); done
    printf '  %5s  %s %s\n' "$(( (stamp - start) / 1000000000 )).$(( (stamp - start) / 100000000 % 10 ))s" "$line" "$rates"
    prev=("${now[@]}")
    kill -0 "$wrk_pid" 2>/dev/null || break
  done
}

# One new connection every 0.2 s, from its own ephemeral port; prints the answering backend or "failed".
demo_curl_loop() {
  local p=$1 end=$((SECONDS + $2))
  while [ $SECONDS -lt $end ]; do
    ip netns exec "$p-cli" curl -s --max-time 1 "http://$LB_VIP/" || echo failed
    sleep 0.2
  done
}

demo_summary() {
  local p=$1 dir=$2 b total counts i
  say "wrk:"
  grep -E '^ +Latency +[0-9]|^ +(50|99)%|requests in|Requests/sec|Socket errors|Non-2xx' "$dir/wrk.txt" | sed 's/^ */  /' || cat "$dir/wrk.txt"
  grep -q 'Socket errors' "$dir/wrk.txt" || echo "  no socket errors"
  say "requests answered by each backend:"
  read -ra counts <<< "$(lbtopo_nginx_counts "$dir")"
  total=$((counts[0] + counts[1] + counts[2]))
  for i in 0 1 2; do
    printf '  %s (%s)  %7d  %3d%%\n' "${LB_BACKENDS[i]}" "${LB_BACKEND_ADDRESSES[i]}" "${counts[i]}" $((total ? 100 * counts[i] / total : 0))
  done
  say "curl loop: $(wc -l < "$dir/curl.txt") requests: $(sort "$dir/curl.txt" | uniq -c | awk '{printf "%s %s  ", $2, $1}')"
  say "decapsulated on each backend:"
  for b in "${LB_BACKENDS[@]}"; do
    printf '  %s: %s\n' "$b" "$(nsenter --net="/run/netns/$p-$b" dotnet "$BIN/forwarder.dll" decap status --iface "$LB_BACKEND_INTERFACE" \
      | grep -E '^(decapsulated_ipip|not_accepted|malformed) ' | tr '\n' ' ')"
  done
  say "the forwarder's counters (stats --once --json), then it stops:"
  demo_cli stats --once --json --interval 0.2 2>/dev/null | jq -er '
      (.queues[] | "  queue \(.queue): rx \(.rx_packets) tx \(.tx_packets) drops \(.drops)" +
         (.drop_reasons | to_entries | map(" \(.key) \(.value)") | join(""))),
      (.xdp | "  xdp: seen \(.seen) redirected \(.redirected) passed \(.passed) no_socket \(.no_socket)")' \
    || { echo "  no reading; the forwarder's last lines:"; tail -5 "$dir/forwarder.log" | sed 's/^/  /'; }
  demo_stop_forwarder
}

demo_stop_forwarder() {
  if [ -n "$DEMO_FWD_PID" ]; then
    kill -TERM "$DEMO_FWD_PID" 2>/dev/null && wait "$DEMO_FWD_PID" 2>/dev/null || true
    DEMO_FWD_PID=""
  fi
}

bench() {
  need_root bench
  if [ "${1:-}" = micro ]; then
    shift
    dotnet run -c $CONFIG --project bench/Forwarder.Benchmarks -- --filter "${@:-*}"
  elif [ "${1:-}" = launches ]; then
    shift
    bash bench/launches.sh "$@"
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
  demo)  setup; build src/Forwarder/Forwarder.csproj
         if [ "${1:-}" = cluster ]; then need_root demo; bash scripts/cluster-demo.sh "$BIN/forwarder.dll"; else demo; fi ;;
  bench) setup; build; bench "$@" ;;
  *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; [ -z "$cmd" ] || exit 2 ;;
esac
