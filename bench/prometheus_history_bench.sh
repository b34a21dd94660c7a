#!/usr/bin/env bash
# Reading history from a real Prometheus: stackfit (raw points, chunked,
# streamed into the per-workload summary) vs Prometheus computing
# max_over_time / quantile_over_time itself over the same window, as a ratio
# in one run; and stackfit's max RSS for a window of D/2 days vs D days (it
# should not grow with the window: `history` reads the window twice for its
# exact p95s instead of keeping the points). stackfit's wall time is mostly
# Prometheus evaluating the per-step last_over_time queries; the CPU stackfit
# itself spends is printed apart. With a BASELINE binary (an older build),
# the D-day run is repeated with it over the same server, for before/after.
# usage: bench/prometheus_history_bench.sh <stackfit> [containers=20] [days=14] [baseline-stackfit]
set -euo pipefail
stackfit=$1
containers=${2:-20}
days=${3:-14}
baseline=${4:-}
work=$(mktemp -d /tmp/sfpbench.XXXXXX)
prom_pid=
cleanup() {
  [[ -n $prom_pid ]] && kill "$prom_pid" 2>/dev/null && wait "$prom_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY
start_s=1767225600
python3 - "$work/data.om" $start_s $days $containers <<'PY'
import random, sys
out, start, days, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
N = days * 1440
rng = random.Random(7)
with open(out, "w") as f:
    f.write("# TYPE container_memory_working_set_bytes gauge\n")
    for c in range(n):
        lab = f'{{namespace="bench",pod="svc{c}-6b7c9d8f5-x2k4p",container="app"}}'
        for i in range(N):
            f.write(f"container_memory_working_set_bytes{lab} {100000000 + rng.randint(0, 50000000)} {start + i * 60}\n")
    f.write("# TYPE container_cpu_usage_seconds_total gauge\n")
    for c in range(n):
        lab = f'{{namespace="bench",pod="svc{c}-6b7c9d8f5-x2k4p",container="app"}}'
        ns = 0
        for i in range(N):
            ns += rng.randint(0, 60 * 10**9)
            f.write(f"container_cpu_usage_seconds_total{lab} {ns // 10**9}.{ns % 10**9:09d} {start + i * 60}\n")
    f.write("# EOF\n")
PY
t0=$(date +%s%N)
promtool tsdb create-blocks-from openmetrics --max-block-duration=$((days * 24))h "$work/data.om" "$work/tsdb" >/dev/null
echo "setup: $containers containers x $days days x 1-minute = $((containers * days * 1440 * 2)) samples, blocks in $((($(date +%s%N) - t0) / 1000000)) ms"
rm -f "$work/data.om"
printf 'global:\n  scrape_interval: 1h\n' >"$work/prometheus.yml"
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" --storage.tsdb.retention.time=10y \
  --web.listen-address=127.0.0.1:$port >"$work/prometheus.log" 2>&1 &
prom_pid=$!
url=http://127.0.0.1:$port
for _ in $(seq 100); do curl -sf --noproxy '*' "$url/-/ready" >/dev/null 2>&1 && break; sleep 0.1; done
end_s=$((start_s + days * 86400 - 60))

ms() { echo $((($(date +%s%N) - $1) / 1000000)); }
run_stackfit() { # DAYS [BINARY] -> "ms rss_kb cpu_s" (chunks of 2,000 points: many chunks for both windows)
  local from=$((end_s - $1 * 86400 + 60)) t=$(date +%s%N)
  /usr/bin/time -f "%M %U %S" -o "$work/rss" "${2:-$stackfit}" history --prometheus "$url" --start $from --end $end_s \
    --max-points 2000 --format json >"$work/out.json"
  read -r rss user sys <"$work/rss"
  echo "$(ms $t) $rss $(python3 -c "print(round($user + $sys, 2))")"
}
prom_query() { # QUERY -> ms
  local t=$(date +%s%N)
  curl -sf --noproxy '*' "$url/api/v1/query" --data-urlencode "query=$1" --data-urlencode "time=$end_s" >"$work/prom.json"
  ms $t
}
run_stackfit $days >/dev/null  # warm the page cache for both sides
read -r half_ms half_rss half_cpu < <(run_stackfit $((days / 2)))
read -r full_ms full_rss full_cpu < <(run_stackfit $days)
r="${days}d"
p_max=$(prom_query "max_over_time(container_memory_working_set_bytes[$r])")
p_q95=$(prom_query "quantile_over_time(0.95, container_memory_working_set_bytes[$r])")
p_cpu=$(prom_query "quantile_over_time(0.95, rate(container_cpu_usage_seconds_total[2m])[$r:1m])")
prom_total=$((p_max + p_q95 + p_cpu))
points=$((containers * days * 1440 * 2))
if [[ -n $baseline ]]; then
  read -r base_ms base_rss base_cpu < <(run_stackfit $days "$baseline")
  cp "$work/out.json" "$work/base.json"
  run_stackfit $days >/dev/null
  same=$(python3 -c "import json,sys;a,b=(json.load(open(f))['workloads'] for f in sys.argv[1:]);print('equal' if a==b else 'DIFFERENT')" "$work/base.json" "$work/out.json")
  echo "baseline, $days days: ${base_ms} ms wall, ${base_cpu} s CPU in stackfit, max RSS ${base_rss} KB"
  echo "$points points: $(python3 -c "print(round($base_rss/1024,1))") MB before, $(python3 -c "print(round($full_rss/1024,1))") MB after; wall ${base_ms} ms before, ${full_ms} ms after; CPU ${base_cpu} s before, ${full_cpu} s after; workloads' figures $same"
fi
echo "stackfit history, $((days / 2)) days: ${half_ms} ms wall, ${half_cpu} s CPU in stackfit, max RSS ${half_rss} KB"
echo "stackfit history, $days days: ${full_ms} ms wall, ${full_cpu} s CPU in stackfit, max RSS ${full_rss} KB (RSS ratio full/half: $(python3 -c "print(round($full_rss/$half_rss,2))"))"
echo "prometheus itself: max_over_time ${p_max} ms + quantile_over_time(0.95) ${p_q95} ms + CPU p95 subquery ${p_cpu} ms = ${prom_total} ms"
echo "ratio stackfit (all raw points, $days days) / prometheus aggregates: $(python3 -c "print(round($full_ms/max($prom_total,1),2))")"
