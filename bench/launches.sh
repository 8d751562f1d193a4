#!/usr/bin/env bash
# Runs one micro-benchmark case in N separate launches (a new process each: JIT tiering, PGO, code and
# data placement are decided afresh every time) and prints each launch's figure, then the median,
# the spread (max/min) and the machine's load. A launch-to-launch spread is what a single
# `./run.sh bench micro` run cannot show.
#
#   bench/launches.sh [-n N] [-b BASELINE_DLL] [-c] [CASE]
#     -n N            launches (default 10)
#     -b DLL          also run this build of Forwarder.Benchmarks.dll, interleaved launch by launch
#                     (e.g. one built from a worktree of main): each line then shows both and the ratio
#     -c              time by the thread's CPU time (Forwarder.Benchmarks cputime, min of 60 rounds)
#                     instead of BenchmarkDotNet's wall clock: on a loaded machine the wall clock
#                     measures the load, this does not (the baseline build must have the cputime mode)
#     CASE            BenchmarkDotNet filter of exactly one case, or with -c "Class.Method Param=Value ..."
#                     (default: the ipip stage at UMEM chunk offsets)
#   env: LAUNCH_ENV="K=V ..." extra environment for every launch (e.g. DOTNET_TieredPGO=0),
#        LAUNCH_JOB (default "--job short": 3 warm-ups, 3 iterations), LAUNCH_COLUMN (Min or Median; default Median, with -c Min;
#        Min on a loaded machine, with many short iterations:
#        LAUNCH_JOB="--warmupCount 10 --iterationCount 60 --iterationTime 5" LAUNCH_COLUMN=Min)
set -euo pipefail
cd "$(dirname "$0")/.."
n=10 base="" cpu=""
while getopts "n:b:ch" opt; do
  case $opt in
    n) n=$OPTARG ;;
    b) base=$OPTARG ;;
    c) cpu=1 ;;
    *) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ -n "$cpu" ]; then
  filter=${1:-'LoadBalancerBenchmarks.Process Traffic=ipip Layout=UmemChunk'}
else
  filter=${1:-'*LoadBalancerBenchmarks.Process(Traffic: "ipip", Layout: UmemChunk)*'}
fi
dll=bench/Forwarder.Benchmarks/bin/Release/net10.0/Forwarder.Benchmarks.dll
[ -f "$dll" ] || dotnet build bench/Forwarder.Benchmarks -c Release --nologo -v quiet -clp:ErrorsOnly </dev/null
[ -z "$base" ] || [ -f "$base" ] || { echo "launches.sh: no baseline build at $base" >&2; exit 2; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# One launch: prints the case's figure in ns (the BenchmarkDotNet table's column $LAUNCH_COLUMN).
launch() {
  local dll=$1 out=$work/launch.log
  if [ -n "$cpu" ]; then
    # shellcheck disable=SC2086
    env ${LAUNCH_ENV:-} dotnet "$dll" cputime $filter </dev/null >"$out" 2>&1 || { tail -5 "$out" >&2; return 1; }
    awk -v c="${LAUNCH_COLUMN:-Min}" '/^CPUTIME/ { print (c == "Median") ? $5 : $3; found = 1 } END { exit !found }' "$out" \
      || { echo "launches.sh: no CPUTIME line" >&2; return 1; }
    return
  fi
  # shellcheck disable=SC2086
  env ${LAUNCH_ENV:-} dotnet "$dll" --filter "$filter" --inProcess ${LAUNCH_JOB:---job short} \
      --artifacts "$work/artifacts" </dev/null >"$out" 2>&1 || { tail -5 "$out" >&2; return 1; }
  local header row
  header=$(grep -m1 -E '^\| Method ' "$out") || { echo "launches.sh: no result table (does the filter match one case?)" >&2; return 1; }
  row=$(grep -E '^\| [A-Za-z]' "$out" | grep -v '^| Method ' | tail -1)
  awk -F'|' -v h="$header" -v r="$row" -v c="${LAUNCH_COLUMN:-Median}" 'BEGIN {
      n = split(h, hs, "|"); split(r, rs, "|")
      for (i = 1; i <= n; i++) if (hs[i] ~ "^ *" c " *$") { v = rs[i]; gsub(/[ ,]|ns/, "", v); print v; exit }
      exit 1 }'
}

stats() { sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
  printf "median %.2f ns, min %.2f, max %.2f, spread (max/min) %.1f%%\n", m, v[1], v[NR], (v[NR] / v[1] - 1) * 100 }'; }

if [ -n "$cpu" ]; then
  echo "case: $filter (${LAUNCH_COLUMN:-Min} of 60 rounds, thread CPU time)"
else
  echo "case: $filter (${LAUNCH_COLUMN:-Median} of ${LAUNCH_JOB:---job short})"
fi
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs${LAUNCH_ENV:+, env $LAUNCH_ENV}"
: >"$work/this"; : >"$work/base"
for ((i = 1; i <= n; i++)); do
  this=$(launch "$dll")
  echo "$this" >>"$work/this"
  if [ -n "$base" ]; then
    b=$(launch "$base")
    echo "$b" >>"$work/base"
    printf 'launch %2d: %8.2f ns   baseline %8.2f ns   ratio %.2f   (load %s)\n' "$i" "$this" "$b" \
      "$(awk -v a="$this" -v b="$b" 'BEGIN { print a / b }')" "$(cut -d' ' -f1 /proc/loadavg)"
  else
    printf 'launch %2d: %8.2f ns   (load %s)\n' "$i" "$this" "$(cut -d' ' -f1 /proc/loadavg)"
  fi
done
echo "this build: $(stats <"$work/this")"
[ -z "$base" ] || echo "baseline:   $(stats <"$work/base")"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
