#!/usr/bin/env bash
# A Compose fleet through one real Prometheus (docs/fleet.md).
#  1. Three "hosts" on this machine: each a plain cgroup parent (memory, cpu,
#     cpuacct; cgroup v1 here) with one child per service, each child holding
#     a python3 that keeps a working set of its own size and, for 6 s in the
#     middle, a spike above it. h1: web, db; h2: web, db; h3: web, cache.
#  2. One `stackfit record --cgroup <parent> --listen 127.0.0.1:<port> --db
#     <own store>` per host, 1 s interval, 24 s.
#  3. Debian's prometheus scrapes the three recorders every second, each
#     target with its own `host` label; a fourth target (python3's
#     http.server serving a file) adds a Kubernetes container's series, a
#     Compose series without `service` and one without `host`.
#  4. `history --prometheus` must give per service what the three stores give
#     merged: the same services, instance counts, and peak working set. The
#     peak is compared with a stated tolerance: each scrape returns the
#     recorder's latest reading, so every Prometheus point is a stored sample
#     and Prometheus' peak can never exceed the stores'; it equals it unless
#     the scrapes (1 s, unsynchronised with the 1 s recording) missed the one
#     reading at the top of the 6 s spike, whose readings differ by the pages
#     the kernel moves meanwhile: at most 1 MiB here (k_peak_tolerance).
#     `--by-host` gives service@host rows equal to each store's own figures.
#     `recommend --prometheus --strategy peak` gives per service the largest of
#     the stores' `recommend --db --strategy peak` limits (one memory step,
#     4 MiB, apart at most, where the peaks differ by the tolerance above).
#  5. Bad input: the Kubernetes series is reported beside the services (each
#     counted once); the series without `service` (and, under --by-host, the
#     one without `host`): one line each on stderr, exit 0, the rest printed.
# usage: fleet_prometheus_test.sh <stackfit> <source-dir>     (as root, cgroup v1)
set -uo pipefail
stackfit=$1
source_dir=$2
source "$source_dir/tests/testing/checks.sh"  # ok, bad, finish
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
if [[ $(id -u) -ne 0 || ! -w /sys/fs/cgroup/memory ]] || ! command -v prometheus >/dev/null; then
  echo "SKIP: needs root, a writable cgroup v1 memory controller and Debian's prometheus"
  exit 77
fi
work=$(mktemp -d /tmp/sffleet.XXXXXX)
chmod 755 "$work"
parent=stackfit-fleet-$$
hosts=(h1 h2 h3)
declare -A services=([h1]="web db" [h2]="web db" [h3]="web cache")
# Steady working set, then the spike, in MiB, per host and service.
declare -A steady=([h1.web]=20 [h1.db]=36 [h2.web]=28 [h2.db]=30 [h3.web]=24 [h3.cache]=12)
declare -A spike=([h1.web]=8 [h1.db]=4 [h2.web]=16 [h2.db]=12 [h3.web]=10 [h3.cache]=6)
k_peak_tolerance=$((1 << 20))
pids=()       # load processes and recorders, stopped by PID
prom_pid=
files_pid=
cleanup() {
  for p in "${pids[@]}" $prom_pid $files_pid; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}" $prom_pid $files_pid; do wait "$p" 2>/dev/null; done
  for c in memory cpu cpuacct; do
    for h in "${hosts[@]}"; do
      for s in ${services[$h]}; do rmdir "/sys/fs/cgroup/$c/$parent/$h/$s" 2>/dev/null; done
      rmdir "/sys/fs/cgroup/$c/$parent/$h" 2>/dev/null
    done
    rmdir "/sys/fs/cgroup/$c/$parent" 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
source "$source_dir/tests/testing/loopback.sh"

# ---- 1. the hosts' services ------------------------------------------------------
# load.py STEADY_MIB SPIKE_MIB CGROUP_DIR...: joins the cgroups, holds STEADY,
# adds SPIKE from 10 s to 16 s after its start, then holds STEADY until killed.
cat >"$work/load.py" <<'PY'
import os, sys, time
for d in sys.argv[3:]:
    with open(d + "/cgroup.procs", "w") as f:
        f.write(str(os.getpid()))
def touch(mib):
    b = bytearray(mib << 20)
    for i in range(0, len(b), 4096):
        b[i] = 1
    return b
steady = touch(int(sys.argv[1]))
start = time.time()
time.sleep(max(0, start + 10 - time.time()))
spike = touch(int(sys.argv[2]))
time.sleep(6)
del spike
time.sleep(120)
PY
for h in "${hosts[@]}"; do
  for s in ${services[$h]}; do
    dirs=()
    for c in memory cpu cpuacct; do
      mkdir -p "/sys/fs/cgroup/$c/$parent/$h/$s"
      dirs+=("/sys/fs/cgroup/$c/$parent/$h/$s")
    done
    python3 "$work/load.py" "${steady[$h.$s]}" "${spike[$h.$s]}" "${dirs[@]}" &
    pids+=($!)
  done
done

# ---- 3. Prometheus and the fourth target -----------------------------------------
declare -A port
for h in "${hosts[@]}"; do port[$h]=$(free_port); done
files_port=$(free_port)
prom_port=$(free_port)
mkdir "$work/files"
cat >"$work/files/metrics" <<'TXT'
container_memory_working_set_bytes{namespace="shop",pod="api-0",container="api",name="k8s_api_api-0",id="/kubepods/pod1/c1"} 52428800
container_cpu_usage_seconds_total{namespace="shop",pod="api-0",container="api",name="k8s_api_api-0",id="/kubepods/pod1/c1"} 1.5
container_memory_working_set_bytes{name="stray",id="/stray"} 1048576
container_memory_working_set_bytes{name="cron",id="/cron",service="cron",project="ops"} 2097152
TXT
python3 -m http.server --bind 127.0.0.1 --directory "$work/files" "$files_port" >"$work/files.log" 2>&1 &
files_pid=$!
{
  printf 'global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\nscrape_configs:\n'
  printf '  - job_name: stackfit\n    static_configs:\n'
  for h in "${hosts[@]}"; do
    printf '      - targets: ["127.0.0.1:%s"]\n        labels: {host: %s}\n' "${port[$h]}" "$h"
  done
  printf '  - job_name: other\n    static_configs:\n      - targets: ["127.0.0.1:%s"]\n' "$files_port"
} >"$work/prometheus.yml"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address=127.0.0.1:$prom_port >"$work/prometheus.log" 2>&1 &
prom_pid=$!
url=http://127.0.0.1:$prom_port
if ! wait_ready "$url/-/ready"; then
  bad "prometheus did not become ready: $(tail -2 "$work/prometheus.log")"
  finish
fi
ok "real prometheus $(prometheus --version 2>&1 | head -1 | cut -d' ' -f3) on 127.0.0.1:$prom_port, 4 targets"

# ---- 2. one recorder per host ----------------------------------------------------
start_s=$(date +%s)
recorders=()
for h in "${hosts[@]}"; do
  "$stackfit" record --cgroup "/$parent/$h" --interval 1s --duration 24s --db "$work/$h.db" \
    --listen "127.0.0.1:${port[$h]}" >"$work/$h.out" 2>"$work/$h.err" &
  recorders+=($!)
  pids+=($!)
done
failed=0
for i in "${!recorders[@]}"; do
  wait "${recorders[$i]}" || { failed=1; bad "recorder ${hosts[$i]}: $(tail -1 "$work/${hosts[$i]}.err")"; }
done
((failed)) && finish
sleep 2  # the last scrapes
end_s=$(date +%s)
up=$(curl -sf --noproxy '*' "$url/api/v1/query" --data-urlencode 'query=count(count_over_time(up{job="stackfit"}[1m]))' |
  python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)')
[[ $up == 3 ]] && ok "three recorders (--listen, own --db each) scraped for $((end_s - start_s)) s" \
  || bad "targets scraped: $up, want 3"

# ---- 4. Prometheus vs the stores ------------------------------------------------
window=(--start "$((start_s - 2))" --end "$end_s" --step 1s --no-progress)
"$stackfit" history --prometheus "$url" "${window[@]}" --format json >"$work/fleet.json" 2>"$work/fleet.err"
code=$?
"$stackfit" history --prometheus "$url" "${window[@]}" --by-host --format json >"$work/byhost.json" 2>"$work/byhost.err"
code_by_host=$?

# compare.py MODE HISTORY.json: MODE fleet (per service, stores merged) or
# by-host (per service@host, each store alone). Prints one summary line.
cat >"$work/compare.py" <<'PY'
import json, sqlite3, sys
mode, path, tolerance, work = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
want = {}  # name -> [instances, peak, samples]
for h in ("h1", "h2", "h3"):
    db = sqlite3.connect(f"file:{work}/{h}.db?mode=ro", uri=True)
    rows = db.execute("SELECT c.service, count(DISTINCT c.key), max(s.working_set_bytes), count(*) FROM containers c "
                      "JOIN samples s ON s.container_key = c.key GROUP BY c.service").fetchall()
    for service, instances, peak, samples in rows:
        name = service if mode == "fleet" else f"{service}@{h}"
        w = want.setdefault(name, [0, 0, 0])
        w[0] += instances
        w[1] = max(w[1], peak)
        w[2] += samples
got = {w["name"]: w for w in json.load(open(path))["workloads"] if w["kind"] == "service" and w["namespace"] == ""}
bad = []
if sorted(got) != sorted(want):
    bad.append(f"services {sorted(got)}, stores {sorted(want)}")
worst = 0
for name, (instances, peak, _) in sorted(want.items()):
    g = got.get(name)
    if g is None:
        continue
    p = g["memory"]["peak_bytes"]
    worst = max(worst, peak - p)
    if g["instances"] != instances:
        bad.append(f"{name}: {g['instances']} instances, stores {instances}")
    if not (peak - tolerance <= p <= peak):
        bad.append(f"{name}: peak {p}, stores {peak}")
if bad:
    print("; ".join(bad)); sys.exit(1)
print(", ".join(f"{n} {want[n][0]}x peak {got[n]['memory']['peak_bytes'] / 1048576:.1f} MiB"
                f" ({got[n]['samples']} points, stores {want[n][2]})" for n in sorted(want)) +
      f"; largest shortfall {worst} bytes")
PY
if [[ $code -ne 0 ]]; then
  bad "history --prometheus: exit $code: $(head -1 "$work/fleet.err")"
elif detail=$(python3 "$work/compare.py" fleet "$work/fleet.json" $k_peak_tolerance "$work"); then
  ok "per service, Prometheus = the three stores merged: $detail"
else
  bad "fleet figures: $detail"
fi
if [[ $code_by_host -ne 0 ]]; then
  bad "history --by-host: exit $code_by_host: $(head -1 "$work/byhost.err")"
elif detail=$(python3 "$work/compare.py" by-host "$work/byhost.json" $k_peak_tolerance "$work"); then
  ok "--by-host, per service@host = each store: $detail"
else
  bad "by-host figures: $detail"
fi

# recommend --strategy peak: the fleet's limit is the largest of the hosts' limits.
rec=(--strategy peak --points-required 5 --format json)
"$stackfit" recommend --prometheus "$url" "${window[@]}" "${rec[@]}" >"$work/rec.json" 2>"$work/rec.err" \
  || bad "recommend --prometheus: $(head -1 "$work/rec.err")"
for h in "${hosts[@]}"; do
  "$stackfit" recommend --db "$work/$h.db" --since 10m "${rec[@]}" >"$work/rec-$h.json" 2>"$work/rec-$h.err" \
    || bad "recommend --db $h: $(head -1 "$work/rec-$h.err")"
done
detail=$(python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
limit = lambda s: s["memory"]["limit_bytes"] or 0
stores = {}
for h in ("h1", "h2", "h3"):
    for s in json.load(open(f"{work}/rec-{h}.json"))["services"]:
        stores[s["name"]] = max(stores.get(s["name"], 0), limit(s))
got = {s["name"]: limit(s) for s in json.load(open(f"{work}/rec.json"))["services"] if s["kind"] == "service" and s["namespace"] == ""}
bad = [f"{n}: {got.get(n)} vs stores {v}" for n, v in stores.items() if got.get(n) is None or abs(got[n] - v) > 4 << 20]
if sorted(got) != sorted(stores):
    bad.append(f"services {sorted(got)} vs {sorted(stores)}")
print("; ".join(bad) if bad else ", ".join(f"{n} {got[n] >> 20} MiB (stores {stores[n] >> 20})" for n in sorted(got)))
sys.exit(1 if bad else 0)
PY
) && ok "recommend --prometheus --strategy peak = the stores' largest: $detail" || bad "recommend: $detail"

# backtest and report read the same way: one series per workload, one block per service.
"$stackfit" backtest --prometheus "$url" "${window[@]}" --warmup 5s --format json >"$work/bt.json" 2>"$work/bt.err"
code=$?
ids=$(python3 -c 'import json,sys; print(" ".join(sorted(s["id"] for s in json.load(open(sys.argv[1]))["series"])))' \
  "$work/bt.json" 2>&1)
want_ids="cache db ops/service/cron shop/Pod/api-0/api web"
[[ $code -eq 0 && $ids == "$want_ids" && $(cat "$work/bt.err") == "stackfit: $url: 1 Compose series without a service label left out (docs/fleet.md)" ]] \
  && ok "backtest --prometheus: series $ids, the one line" \
  || bad "backtest: exit $code, series '$ids': $(head -2 "$work/bt.err")"
"$stackfit" report --prometheus "$url" "${window[@]}" --output "$work/fleet.html" 2>"$work/report.err"
code=$?
[[ $code -eq 0 ]] && grep -q '>web<\|>web ' "$work/fleet.html" && grep -q 'cache' "$work/fleet.html" \
  && ok "report --prometheus: the page has the fleet's services" || bad "report: exit $code: $(head -1 "$work/report.err")"

# ---- 5. mixed series, labels missing ------------------------------------------------
kinds=$(python3 -c '
import json, sys
w = json.load(open(sys.argv[1]))["workloads"]
print(" ".join(sorted("{namespace}/{kind}/{name}/{container}:{instances}".format(**x) for x in w)))' "$work/fleet.json")
want_kinds="/service/cache/:1 /service/db/:2 /service/web/:3 ops/service/cron/:1 shop/Pod/api-0/api:1"
[[ $kinds == "$want_kinds" ]] && ok "Kubernetes and Compose series both reported, each once: $kinds" \
  || bad "workloads: got '$kinds', want '$want_kinds'"
line="stackfit: $url: 1 Compose series without a service label left out (docs/fleet.md)"
[[ $(cat "$work/fleet.err") == "$line" ]] && ok "series without service: exit 0, one line" \
  || bad "stderr: $(cat "$work/fleet.err")"
host_line="stackfit: $url: 1 Compose series without a host label left out (--by-host; docs/fleet.md)"
[[ $(cat "$work/byhost.err") == "$line"$'\n'"$host_line" ]] && ok "--by-host, series without host: one more line, the rest printed" \
  || bad "--by-host stderr: $(cat "$work/byhost.err")"
python3 -c 'import json,sys; sys.exit(any(w["name"].startswith("cron") for w in json.load(open(sys.argv[1]))["workloads"]))' \
  "$work/byhost.json" || bad "cron (no host label) grouped under a host"
"$stackfit" recommend --prometheus "$url" "${window[@]}" --by-host --host-label instance "${rec[@]}" \
  >"$work/inst.json" 2>"$work/inst.err"
names=$(python3 -c 'import json,sys; print(" ".join(sorted(s["name"] for s in json.load(open(sys.argv[1]))["services"])))' "$work/inst.json")
want_names="api-0 cache@127.0.0.1:${port[h3]} cron@127.0.0.1:$files_port db@127.0.0.1:${port[h1]} db@127.0.0.1:${port[h2]}"
want_names+=" web@127.0.0.1:${port[h1]} web@127.0.0.1:${port[h2]} web@127.0.0.1:${port[h3]}"
want_names=$(tr ' ' '\n' <<<"$want_names" | sort | tr '\n' ' ')
[[ "$names " == "$want_names" && $(cat "$work/inst.err") == "$line" ]] \
  && ok "recommend --by-host --host-label instance: one row per service and target" \
  || bad "--host-label instance: '$names' vs '$want_names'; $(cat "$work/inst.err")"
err=$("$stackfit" history --prometheus "$url" "${window[@]}" --by-host --host-label 'a-b' 2>&1)
code=$?
[[ $code -eq 2 && $err == 'stackfit: --host-label "a-b": not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)' ]] \
  && ok "bad --host-label: exit 2, one line" || bad "bad --host-label: exit $code: $err"
finish
