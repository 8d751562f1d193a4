#!/usr/bin/env bash
# Where a micro-benchmark case spends its time, by JIT-compiled method and, for the methods asked for, by
# instruction: runs the case under the CPU-time runner (Forwarder.Benchmarks cputime), samples it with
# perf once its 2 s warm-up is over, reads the hot methods' machine code out of the running process and
# prints the samples per method, then each asked-for method's code with its samples beside every instruction.
#
#   bench/profile.sh [-d DLL] [-a METHOD]... [CASE]
#     -d DLL      the build to profile (default: this tree's Release build of Forwarder.Benchmarks)
#     -a METHOD   annotate the methods whose name contains METHOD (e.g. -a ::ForwardIpip -a ::Classify)
#     CASE        as for cputime (default: "LoadBalancerBenchmarks.Process Traffic=ipip Layout=UmemChunk")
#   Needs root (perf, /proc/PID/mem), perf and objdump. The run's files stay in a temporary directory it names.
#   env: PROFILE_START (seconds after launch to start sampling, default 1.5), PROFILE_SECONDS (default 1.5).
#
# perf cannot name JIT code by itself: the runtime writes /tmp/perf-PID.map (DOTNET_PerfMapEnabled=3) and,
# with W^X off (DOTNET_EnableWriteXorExecute=0), the code lives in anonymous memory at the addresses that map
# names, so samples are matched to methods here, by address.
set -euo pipefail
cd "$(dirname "$0")/.."
dll=bench/Forwarder.Benchmarks/bin/Release/net10.0/Forwarder.Benchmarks.dll
annotate=()
while getopts "d:a:h" opt; do
  case $opt in
    d) dll=$OPTARG ;;
    a) annotate+=("$OPTARG") ;;
    *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
filter=${1:-'LoadBalancerBenchmarks.Process Traffic=ipip Layout=UmemChunk'}
[ -f "$dll" ] || { echo "profile.sh: no build at $dll" >&2; exit 2; }
command -v perf >/dev/null && command -v objdump >/dev/null || { echo "profile.sh: needs perf and objdump" >&2; exit 2; }
work=$(mktemp -d)
echo "case: $filter; files in $work"

# shellcheck disable=SC2086
DOTNET_EnableWriteXorExecute=0 DOTNET_PerfMapEnabled=3 dotnet "$dll" cputime $filter </dev/null >"$work/run.log" 2>&1 &
pid=$!
# Every method's code is read out of the process as soon as the map names it (code never moves once written;
# a method compiled again gets a new entry), by a reader that runs until the process ends.
python3 - "$pid" "$work" <<'PY' &
import os, sys, time
pid, work = sys.argv[1], sys.argv[2]
seen = set()
with open(f'{work}/code.idx', 'w') as index:
    while os.path.exists(f'/proc/{pid}'):
        try:
            with open(f'/tmp/perf-{pid}.map') as names, open(f'/proc/{pid}/mem', 'rb') as mem:
                for line in names:
                    if not line.endswith('\n'):
                        break # a line still being written
                    start, size, name = line.rstrip('\n').split(' ', 2)
                    if start in seen or ('[Forwarder' not in name and 'Memmove' not in name):
                        continue
                    mem.seek(int(start, 16))
                    code = mem.read(int(size, 16))
                    seen.add(start)
                    path = f'{work}/code.{len(seen)}'
                    open(path, 'wb').write(code)
                    index.write(f'{start} {path}\n')
                    index.flush()
        except (OSError, ValueError):
            pass
        time.sleep(0.1)
PY
reader=$!
# The runner warms up for 2 s of CPU time, then measures for well under one: sample the later warm-up and the
# rounds (the same calls, tiering settled).
sleep "${PROFILE_START:-1.5}"
perf record -q -F 4000 -p "$pid" -o "$work/perf.data" >/dev/null 2>&1 &
recorder=$!
sleep "${PROFILE_SECONDS:-1.5}"
kill -INT "$recorder" 2>/dev/null || true # perf stops on its own when the run ends first
wait "$recorder" || true
wait "$pid" || { tail -5 "$work/run.log" >&2; exit 1; }
wait "$reader"
cp "/tmp/perf-$pid.map" "$work/map.txt" && rm -f "/tmp/perf-$pid.map"
tail -1 "$work/run.log"
perf script -i "$work/perf.data" -F ip 2>/dev/null >"$work/ips.txt"

python3 - "$work" "${annotate[@]}" <<'PY'
import bisect, collections, subprocess, sys
work, wanted = sys.argv[1], sys.argv[2:]
methods = []
for line in open(f'{work}/map.txt'):
    start, size, name = line.rstrip('\n').split(' ', 2)
    methods.append((int(start, 16), int(size, 16), name))
methods.sort()
starts = [m[0] for m in methods]
code = {int(start, 16): path for start, path in (l.split() for l in open(f'{work}/code.idx'))}
per_method, per_ip = collections.Counter(), collections.Counter()
ips = [int(x, 16) for x in open(f'{work}/ips.txt').read().split()]
for ip in ips:
    k = bisect.bisect_right(starts, ip) - 1
    if k >= 0 and ip < methods[k][0] + methods[k][1]:
        per_method[k] += 1
        per_ip[ip] += 1
    else:
        per_method[-1] += 1
total = max(1, len(ips))
print(f'{len(ips)} samples')
for k, n in per_method.most_common(20):
    print(f'{100 * n / total:6.2f}%  {methods[k][2] if k >= 0 else "(outside JIT code: kernel, runtime, native)"}')
for k, (start, size, name) in enumerate(methods):
    if not any(w in name for w in wanted) or start not in code or per_method[k] == 0:
        continue
    print(f'\n==== {name}  {100 * per_method[k] / total:.2f}%')
    listing = subprocess.run(['objdump', '-D', '-b', 'binary', '-mi386:x86-64', '-M', 'intel', f'--adjust-vma={start}', code[start]],
                             capture_output=True, text=True).stdout
    for line in listing.splitlines():
        try:
            address = int(line.strip().split(':', 1)[0], 16)
        except ValueError:
            continue
        n = per_ip.get(address, 0)
        print(f'{100 * n / total:5.2f} {line}' if n else f'      {line}')
PY
