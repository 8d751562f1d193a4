#!/usr/bin/env bash
# Builds bench/CReference's C programs (rxdrop) into OUT_DIR (default bench/CReference/bin, ignored by git),
# only when a source is newer than its binary. Needs gcc, libxdp-dev and libbpf-dev (run.sh's PACKAGES); no root.
#   bench/CReference/build.sh [OUT_DIR]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE/bin}
mkdir -p "$OUT"
src=$HERE/rxdrop.c bin=$OUT/rxdrop
if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ]; then
  gcc -O2 -Wall -Wextra -Werror -o "$bin.tmp$$" "$src" -lxdp -lbpf
  mv "$bin.tmp$$" "$bin"
fi
