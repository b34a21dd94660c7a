#!/usr/bin/env bash
# The long fuzzing run (docs/fuzzing.md): every libFuzzer target of fuzz/ for
# SECONDS each (default 300), one after the other, over the corpus the short
# runs grew in build-fuzz/fuzz/corpus/work. Prints one Markdown table row per
# target: executions, executions per second, coverage (edges, features), the
# findings of this run (crashes, leaks, timeouts, OOMs written to
# corpus/findings/<name>/), and how long 10 M executions take at that rate.
#   bench/fuzz_long.sh [SECONDS] [TARGET...]
# FUZZ_RUNS=N stops each target after N executions too (libFuzzer's -runs),
# e.g. FUZZ_RUNS=10000000 for the 10 M goal with SECONDS as the time cap.
# Builds build-fuzz/ first (scripts/build.sh --fuzz needs the whole build;
# this only configures and builds the fuzz folder). Exit status 1 when any
# target found something.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-300}
shift || true
build=$root/build-fuzz

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTACKFIT_FUZZ=ON \
  -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
ninja -C "$build" -j 2 >/dev/null

targets=("$@")
if ((${#targets[@]} == 0)); then
  for f in "$build"/fuzz/*_fuzzer; do targets+=("$(basename "${f%_fuzzer}")"); done
fi

echo "| target | seconds | executions | exec/s | edges | features | findings | 10 M executions at this rate |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
any=0
for name in "${targets[@]}"; do
  status=0
  line=$(bash "$root/fuzz/run_fuzzer.sh" "$build/fuzz/${name}_fuzzer" "$build/fuzz/corpus" "$seconds" \
    ${FUZZ_RUNS:+-runs="$FUZZ_RUNS"} 2>/dev/null) ||
    status=$?
  ((status == 0)) || any=1
  # "<name>: <execs> execs in <s> s (<rate>/s), <cov> edges, <ft> features, <n> findings"
  read -r execs elapsed rate cov ft found < <(sed -E 's/^[^:]+: ([0-9]+) execs in ([0-9]+) s \(([0-9]+)\/s\), ([0-9]+) edges, ([0-9]+) features, ([0-9]+) findings$/\1 \2 \3 \4 \5 \6/' <<<"$line")
  hours=$(awk -v r="$rate" 'BEGIN { if (r > 0) printf "%.1f h", 1e7 / r / 3600; else print "-" }')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$elapsed" "$execs" "$rate" "$cov" "$ft" "$found" "$hours"
done
exit "$any"
