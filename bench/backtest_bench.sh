#!/usr/bin/env bash
# `stackfit backtest --csv` at the issue's scale: 1,000 series x 30 days x one
# reading per 5 minutes (8,640,000 rows, every strategy), on one core, next to
# the least any tool must do with the same file: awk taking each series' max.
# Aims (issue 12): < 60 s CPU and < 256 MB peak RSS.
#
#   bench/backtest_bench.sh [BUILD_DIR] [WORK_DIR]
#
# The series are synthetic but shaped like the real traces (a base level per
# series, daily cycles, noise, rare spikes, a slow leak in one series of ten,
# steps up), seeded, so every run reads the same file.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
work=${2:-$(mktemp -d)}
mkdir -p "$work"
csv=$work/backtest_1000x30d.csv

if [[ ! -s $csv ]]; then
  echo "generating $csv" >&2
  python3 - "$csv" <<'PY'
import math, random, sys
random.seed(12)
out = open(sys.argv[1], "w", buffering=1 << 20)
out.write("series,timestamp_s,bytes,limit_bytes\n")
t0, step, n = 1_700_000_000, 300, 30 * 288
mib = 1 << 20
for s in range(1000):
    base = random.choice([64, 128, 256, 512, 1024, 2048]) * mib * random.uniform(0.6, 1.4)
    limit = int(base * random.choice([1.5, 2, 3, 4]))
    leak = base * 0.3 / n if s % 10 == 0 else 0.0
    step_at = random.randrange(n) if s % 7 == 0 else n
    rows = []
    for i in range(n):
        v = base * (1 + 0.1 * math.sin(2 * math.pi * i / 288)) * random.uniform(0.97, 1.03) + leak * i
        if i >= step_at:
            v *= 1.3
        if random.random() < 0.002:
            v *= random.uniform(1.1, 1.6)
        rows.append(f"svc{s:04d},{t0 + i * step},{int(v)},{limit}\n")
    out.writelines(rows)
out.close()
PY
fi
rows=$(($(wc -l < "$csv") - 1))
echo "input: $csv, $rows rows, $(du -m "$csv" | cut -f1) MB"

measure() {  # label, command...
  local label=$1; shift
  local t; t=$(mktemp)
  taskset -c 0 /usr/bin/time -f '%U %S %M' -o "$t" "$@" > /dev/null
  read -r user sys rss < "$t"
  rm -f "$t"
  awk -v l="$label" -v u="$user" -v s="$sys" -v r="$rss" 'BEGIN { printf "| %s | %s s | %s s | %.1f MB |\n", l, u, s, r / 1024 }'
}

echo "| run (one core) | user | sys | max RSS |"
echo "| --- | ---: | ---: | ---: |"
measure "stackfit backtest --csv (declared, krr-simple, vpa, adaptive, peak, percentile)" \
  "$build/stackfit" backtest --csv "$csv" --format json
measure "stackfit backtest --csv --strategy adaptive" "$build/stackfit" backtest --csv "$csv" --strategy adaptive
measure "awk: each series' max (reading the file only)" \
  awk -F, 'NR > 1 && $3 > m[$1] { m[$1] = $3 } END { for (k in m) n++; print n }' "$csv"
