#!/usr/bin/env bash
# Times `stackfit recommend` over 1,000 series x 14 days x 1-minute samples
# (20,160,000 samples) in the SQLite store: wall, user and sys time and peak
# RSS, pinned to one core, next to sqlite3 computing only max() per container
# on the same file. The store is generated once (bench/recommend_bench,
# ~90 s, ~1.1 GB) and reused while it exists. docs/recommend.md, "Benchmark".
# With OM=1 the same series are also written as OpenMetrics text for the
# Prometheus side (`promtool tsdb create-blocks-from openmetrics`).
# usage: bench/recommend_bench.sh [build-dir] [work-dir]
set -euo pipefail
build=${1:-build}
work=${2:-/tmp/stackfit-recommend-bench}
mkdir -p "$work"
if [ ! -s "$work/big.db" ]; then
  args=(--store "$work/big.db" --series 1000 --days 14 --interval-s 60)
  [ "${OM:-0}" = 1 ] && args+=(--openmetrics "$work/big.om")
  "$build/bench/recommend_bench" "${args[@]}"
fi
echo "store: $(du -h "$work/big.db" | cut -f1)"
for strategy in adaptive peak percentile; do
  printf '%-10s ' "$strategy"
  /usr/bin/time -f "wall %e s, user %U s, sys %S s, max RSS %M KB" \
    taskset -c 0 "$build/stackfit" recommend --db "$work/big.db" --since 15d --strategy "$strategy" --format csv \
    2>&1 >"$work/$strategy.csv" | tail -1
done
# Baseline on the same file: SQLite alone computing each container's max
# working set (one aggregate scan, no histograms, no CPU rates).
printf '%-10s ' "sqlite max"
/usr/bin/time -f "wall %e s, user %U s, sys %S s, max RSS %M KB" \
  taskset -c 0 sqlite3 "$work/big.db" "SELECT container_key, max(working_set_bytes) FROM samples GROUP BY container_key" \
  2>&1 >/dev/null | tail -1
echo "services: $(($(wc -l <"$work/peak.csv") - 1))"
