#!/usr/bin/env bash
# `stackfit history --prometheus` against a REAL Prometheus (Debian's
# prometheus 2.42) loaded with generated cluster history, then against
# misbehaving peers.
#  1. prometheus_history_gen.py writes 4 days at 1-minute resolution of
#     cAdvisor and kube-state-metrics series for 5 workloads in 2 namespaces
#     (replicas, a rollout, a bare pod, an OOM kill, a leak, a gap, a counter
#     reset) as OpenMetrics, plus the per-workload figures computed from the
#     generated samples.
#  2. promtool tsdb create-blocks-from openmetrics -> a temp TSDB; prometheus
#     serves it on 127.0.0.1:<free port> (retention 10y: the blocks are in the
#     past, queried with explicit --start/--end).
#  3. stackfit's figures must EQUAL the generated ones (counts, maxima, p95,
#     CPU rates, OOM kills, starts, limits, grouping), with one chunk and with
#     many small chunks, 1 or 4 queries in flight.
#  4. `stackfit report --prometheus` over the same server, loaded by headless
#     chromium (a block per workload, the OOM kill marked).
#  5. Faults: unreachable port, a server that accepts and never answers (a
#     tiny python3 socket server on loopback, prometheus_fake_server.py), HTTP
#     errors with Prometheus' error JSON, "status":"error", hostile JSON, a
#     "result" of the wrong type (object, string, vector, none),
#     an oversized answer, partial-data warnings, 5xx retried, 4xx not.
# usage: prometheus_history_test.sh <stackfit> <source-dir>
set -uo pipefail
stackfit=$1
source_dir=$2
source "$source_dir/tests/testing/checks.sh"  # ok, bad, finish
work=$(mktemp -d /tmp/sfprom.XXXXXX)
prom_pid=
fake_pid=
cleanup() {
  [[ -n $prom_pid ]] && kill "$prom_pid" 2>/dev/null && wait "$prom_pid" 2>/dev/null
  [[ -n $fake_pid ]] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY

check() { if [[ $2 == "$3" ]]; then ok "$1"; else bad "$1: got '$2', want '$3'"; fi; }
source "$source_dir/tests/testing/loopback.sh"

start_s=1767225600 # 2026-01-01T00:00:00Z
days=4
probe=${STACKFIT_HISTORY_PROBE:-$(dirname "$stackfit")/tests/integration/history_source_probe}
if ! python3 "$source_dir/tests/integration/prometheus_history_gen.py" "$work/data.om" "$work/expected.json" $start_s $days "$work/samples.csv"; then
  bad "generator failed"
  finish
fi
if ! promtool tsdb create-blocks-from openmetrics --max-block-duration=96h "$work/data.om" "$work/tsdb" >"$work/promtool.log" 2>&1; then
  bad "promtool create-blocks-from openmetrics: $(tail -1 "$work/promtool.log")"
  finish
fi
rm -f "$work/data.om"
printf 'global:\n  scrape_interval: 1h\n' >"$work/prometheus.yml"
port=$(free_port)
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --storage.tsdb.retention.time=10y --web.listen-address=127.0.0.1:$port >"$work/prometheus.log" 2>&1 &
prom_pid=$!
url=http://127.0.0.1:$port
for _ in $(seq 100); do
  curl -sf --noproxy '*' "$url/-/ready" >/dev/null 2>&1 && break
  sleep 0.1
done
if ! curl -sf --noproxy '*' "$url/-/ready" >/dev/null; then
  bad "prometheus did not become ready: $(tail -2 "$work/prometheus.log")"
  finish
fi
ok "real prometheus $(prometheus --version 2>&1 | head -1 | cut -d' ' -f3) ready on 127.0.0.1:$port"
end_s=$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['end'])" "$work/expected.json")

# compare OUT.json: every generated figure equals what stackfit read.
compare() {
  python3 - "$work/expected.json" "$1" <<'PY'
import json, sys
exp = json.load(open(sys.argv[1]))["workloads"]
got = json.load(open(sys.argv[2]))
if got["partial"] or got["warnings"]:
    print("marked partial:", got["warnings"]); sys.exit(1)
rows = {(w["namespace"], w["kind"], w["name"], w["container"]): w for w in got["workloads"]}
bad = []
if len(rows) != len(exp):
    bad.append(f"{len(rows)} workloads, want {len(exp)}: {sorted(rows)}")
for e in exp:
    k = (e["namespace"], e["kind"], e["name"], e["container"])
    w = rows.get(k)
    if w is None:
        bad.append(f"missing workload {k}"); continue
    flat = dict(instances=w["instances"], samples=w["samples"], peak_bytes=w["memory"]["peak_bytes"],
                p95_bytes=w["memory"]["p95_bytes"], average_bytes=w["memory"]["average_bytes"],
                limit_bytes=w["memory"]["limit_bytes"], cpu_samples=w["cpu"]["samples"],
                cpu_p95_millicores=w["cpu"]["p95_millicores"], cpu_peak_millicores=w["cpu"]["peak_millicores"],
                oom_kills=w["oom_kills"], starts=w["starts"])
    for f, v in flat.items():
        want = e[f]
        # the mean is a long double division in stackfit, an integer one here
        if v != want and not (f == "average_bytes" and abs(v - want) <= 1):
            bad.append(f"{'/'.join(k)} {f}: got {v}, want {want}")
print("; ".join(bad[:6]) if bad else f"{len(exp)} workloads, {sum(e['samples'] for e in exp)} memory samples equal")
sys.exit(1 if bad else 0)
PY
}

run_case() { # NAME ARGS...
  local name=$1
  shift
  local t0=$(date +%s%N)
  if "$stackfit" history --prometheus "$url" --start $start_s --end $end_s --format json "$@" >"$work/out.json" 2>"$work/err"; then
    local ms=$((($(date +%s%N) - t0) / 1000000))
    if detail=$(compare "$work/out.json"); then ok "$name: $detail (${ms} ms)"; else bad "$name: $detail"; fi
  else
    bad "$name: exit $?: $(head -1 "$work/err")"
  fi
}
run_case "one chunk per query, 4 in flight"
run_case "chunks of 500 points (12 chunks), 1 in flight" --max-points 500 --concurrency 1
run_case "chunks of 333 points (18 chunks), 4 in flight" --max-points 333 --concurrency 4
chunks=$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['chunks'])" "$work/out.json")
check "window cut into chunks under the point bound" "$chunks" 18
# Two reads for the exact p95s in bounded memory: the first runs the 2
# ownership queries and 9 per chunk, the second the ownership queries and
# only the working-set and CPU ones.
queries=$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['queries'])" "$work/out.json")
check "history reads twice, the second time only working set and CPU" "$queries" $((2 + 18 * 9 + 2 + 18 * 2))

# Grouping and the special cases, spelled out.
"$stackfit" history --prometheus "$url" --start $start_s --end $end_s --format csv >"$work/out.csv" 2>"$work/err"
check "csv: bare pod is its own workload" "$(grep -c '^batch,Pod,debug-shell,sh,1,' "$work/out.csv")" 1
check "csv: rollout of two ReplicaSets is one Deployment" "$(grep -c '^batch,Deployment,worker,worker,2,' "$work/out.csv")" 1
check "csv: ReplicaSet without kube_replicaset_owner grouped by name" "$(grep -c '^shop,Deployment,api,api,1,' "$work/out.csv")" 1
"$stackfit" history --prometheus "$url" --start $start_s --end $end_s --selector 'namespace="batch"' --format csv >"$work/sel.csv" 2>"$work/err"
check "--selector namespace=batch keeps 2 workloads" "$(($(wc -l <"$work/sel.csv") - 1))" 2
"$stackfit" history --prometheus "$url" --start $start_s --end $end_s >"$work/out.txt" 2>"$work/err"
check "table names the OOM-killed workload" "$(grep -c 'Deployment/api' "$work/out.txt")" 1

# The same samples written into the SQLite store with the store's API: the
# recommender fed from the store and from Prometheus must say the same thing.
if [[ ! -x $probe ]]; then
  bad "history_source_probe not built at $probe"
elif ! "$probe" load "$work/store.db" "$work/samples.csv" 2>"$work/err"; then
  bad "loading the store: $(head -1 "$work/err")"
elif ! "$probe" compare "$work/store.db" "$url" $start_s $end_s >"$work/cmp.txt" 2>"$work/err"; then
  bad "store vs prometheus: $(head -1 "$work/err")"
else
  diff <(sed -n 's/^store //p' "$work/cmp.txt") <(sed -n 's/^prometheus //p' "$work/cmp.txt") >"$work/cmp.diff"
  n=$(grep -c '^store ' "$work/cmp.txt")
  statuses=$(sed -n 's/^store [^ ]* \([^ ]*\) .*/\1/p' "$work/cmp.txt" | sort | uniq -c | tr -s ' ' | tr '\n' ',')
  if [[ ! -s $work/cmp.diff && $n == 5 ]]; then
    ok "recommendations from the SQLite store equal those from Prometheus for $n workloads (statuses:$statuses api OOM bump: $(grep '^store shop/Deployment/api' "$work/cmp.txt" | cut -d' ' -f5) bytes limit)"
  else
    bad "store vs prometheus differ ($n workloads): $(head -4 "$work/cmp.diff" | tr '\n' ' ')"
  fi
fi

# End to end: `stackfit recommend --db` over that store vs `stackfit recommend
# --prometheus` over the server: the same numbers per workload.
if [[ -s $work/store.db ]]; then
  since_days=$((($(date +%s) - start_s) / 86400 + 2))
  if "$stackfit" recommend --db "$work/store.db" --since ${since_days}d --format json >"$work/rec_store.json" 2>"$work/err" &&
    "$stackfit" recommend --prometheus "$url" --start $start_s --end $end_s --max-points 700 --format json \
      >"$work/rec_prom.json" 2>"$work/err"; then
    if detail=$(python3 - "$work/rec_store.json" "$work/rec_prom.json" <<'PY'
import json, sys
store, prom = (json.load(open(p)) for p in sys.argv[1:3])
def fields(s):
    return (s["status"], s["memory"]["request_bytes"], s["memory"]["limit_bytes"], s["cpu"]["request_millicores"],
            s["cpu"]["limit_millicores"], s["samples"], s["oom_kills"], s["restarts"], s["confidence"])
a = {s["name"]: fields(s) for s in store["services"]}
b = {f'{s["namespace"]}/{s["kind"]}/{s["name"]}/{s["container"]}': fields(s) for s in prom["services"]}
if prom["source"]["kind"] != "prometheus" or a != b or len(a) != 5:
    print("differ:", {k: (a.get(k), b.get(k)) for k in set(a) | set(b) if a.get(k) != b.get(k)}); sys.exit(1)
print(f"{len(a)} workloads: " + ", ".join(f"{k.split('/')[2]} {v[1] // 2**20}Mi/{v[2] // 2**20}Mi {v[3]}m" for k, v in sorted(a.items())))
PY
    ); then ok "recommend --db and recommend --prometheus print the same recommendations: $detail"; else bad "recommend --db vs --prometheus: $detail"; fi
  else
    bad "recommend: $(head -1 "$work/err")"
  fi
fi

# backtest over both sources: the same replay, series by series, figure by figure.
if [[ -s $work/store.db ]]; then
  if "$stackfit" backtest --db "$work/store.db" --since ${since_days}d --every 6h --format json >"$work/bt_store.json" 2>"$work/err" &&
    "$stackfit" backtest --prometheus "$url" --start $start_s --end $end_s --max-points 700 --every 6h --format json \
      >"$work/bt_prom.json" 2>"$work/err"; then
    if detail=$(python3 - "$work/bt_store.json" "$work/bt_prom.json" <<'PY'
import json, sys
store, prom = (json.load(open(p)) for p in sys.argv[1:3])
def figures(d):
    return {s["id"]: [(x["name"], x["oom_events"], x["mean_limit_bytes"], round(x["slack_ratio"], 9), x["limit_changes"])
                      for x in s["strategies"]] for s in d["series"]}
a, b = figures(store), figures(prom)
if prom["source"]["kind"] != "prometheus" or a != b or len(a) != 5:
    print("differ:", {k: (a.get(k), b.get(k)) for k in set(a) | set(b) if a.get(k) != b.get(k)}); sys.exit(1)
kills = {x["name"]: x["oom_events"] for x in store["strategies"]}
print(f"{len(a)} series, {store['points']} readings; kills per strategy {kills}")
PY
    ); then ok "backtest --db and backtest --prometheus replay the same: $detail"; else bad "backtest --db vs --prometheus: $detail"; fi
  else
    bad "backtest: $(head -1 "$work/err")"
  fi
fi
expect_rec() { "$stackfit" recommend "$@" >"$work/out" 2>"$work/err"; echo "$? $(head -1 "$work/err")"; }
check "recommend --prometheus with --db is a usage error" "$(expect_rec --prometheus "$url" --db x.db)" \
  "2 stackfit: --db and --prometheus: give one history source"

# `stackfit report --prometheus`: the page of the same history. Headless
# chromium (tests/testing/chromium.sh; only the page's text without it) must
# load it with no console error and show a block per workload, the OOM kill
# of shop/api marked on its chart and on no other.
if "$stackfit" report --prometheus "$url" --start $start_s --end $end_s --max-points 700 --budget 4Gi \
  --output "$work/report.html" 2>"$work/err"; then
  check "report --prometheus: a block per workload" \
    "$(grep -o 'class="service" data-service="[^"]*"' "$work/report.html" | wc -l)" 5
  if command -v chromium >/dev/null; then
    source "$source_dir/tests/testing/chromium.sh"
    chromium_dom "$work/report.html" "$work/dom.html" "$work/chrome.log"
    check "report --prometheus: chromium loads it with no console error" "$(chromium_console_errors "$work/chrome.log")" ""
    dom() { python3 "$source_dir/tests/testing/dom_query.py" "$work/dom.html" "$1"; }
    check "report --prometheus: rendered workloads" "$(dom "sorted(e['attrs']['data-service'] for e in services())")" \
      "['batch/debug-shell/sh', 'batch/worker/worker', 'shop/api/api', 'shop/db/postgres', 'shop/web/app']"
    check "report --prometheus: shop/api's OOM kill marked, and only there" \
      "$(dom "[len(inside(e['attrs']['data-service'], 'g', 'oom')) for e in services()]")" "[0, 0, 1, 0, 0]"
  fi
else
  bad "report --prometheus: exit $?: $(head -1 "$work/err")"
fi

# ---- faults -------------------------------------------------------------------
# expect NAME EXIT REGEX ARGS...: exit code, one stderr line matching REGEX, empty stdout
expect() {
  local name=$1 code=$2 regex=$3
  shift 3
  "$stackfit" history "$@" --since 1h --format json >"$work/out" 2>"$work/err"
  local rc=$?
  local lines=$(wc -l <"$work/err")
  if [[ $rc == "$code" && $lines == 1 && -z $(cat "$work/out") ]] && grep -Eq "$regex" "$work/err"; then
    ok "$name: exit $rc: $(cat "$work/err")"
  else
    bad "$name: exit $rc (want $code), $lines stderr lines, stdout $(wc -c <"$work/out") bytes: $(head -3 "$work/err")"
  fi
}
closed=$(free_port)
expect "unreachable port" 3 "^stackfit: http://127.0.0.1:$closed/api/v1/query_range: connect: Connection refused \(after 2 attempts\)$" \
  --prometheus http://127.0.0.1:$closed --retries 1
expect "not a URL" 2 "^stackfit: --prometheus 127.0.0.1:9090: expected an http:// or https:// URL$" --prometheus 127.0.0.1:9090
expect "bad query from --selector: HTTP 400 from the real server, not retried" 3 \
  "^stackfit: $url/api/v1/query_range: HTTP 400: bad_data: .*parse error" --prometheus "$url" --selector 'namespace=~"('

python3 "$source_dir/tests/integration/prometheus_fake_server.py" >"$work/fake.port" 2>"$work/fake.log" &
fake_pid=$!
for _ in $(seq 50); do [[ -s $work/fake.port ]] && break; sleep 0.1; done
fake=http://127.0.0.1:$(cat "$work/fake.port")
t0=$(date +%s%N)
expect "server that never answers" 3 "^stackfit: $fake/hang/api/v1/query_range: no answer within 1000 ms \(after 2 attempts\)$" \
  --prometheus "$fake/hang" --timeout 1s --retries 1
ms=$((($(date +%s%N) - t0) / 1000000))
if ((ms >= 2000 && ms < 6000)); then ok "timeout honoured: 2 attempts + backoff in $ms ms"; else bad "timeout took $ms ms"; fi
expect "HTTP 422 with error JSON" 3 "^stackfit: $fake/error422/api/v1/query_range: HTTP 422: execution: query processing would load too many samples into memory$" \
  --prometheus "$fake/error422"
expect "200 with status error" 3 "^stackfit: $fake/status/api/v1/query_range: timeout: query timed out in expression evaluation$" \
  --prometheus "$fake/status"
expect "100,000-deep JSON" 3 "^stackfit: $fake/deep/api/v1/query_range: not a Prometheus API answer: nested deeper than 16 levels$" \
  --prometheus "$fake/deep"
expect "wrong types" 3 "^stackfit: $fake/types/api/v1/query_range: not a Prometheus API answer: data.result\[0\].values\[0\]: unexpected a string$" \
  --prometheus "$fake/types"
# A "result" of the wrong type is an error naming it, never an empty answer with exit 0.
expect "result is an object" 3 "^stackfit: $fake/robject/api/v1/query_range: not a Prometheus API answer: data.result: expected an array, got an object$" \
  --prometheus "$fake/robject"
expect "result is a string" 3 "^stackfit: $fake/rstring/api/v1/query_range: not a Prometheus API answer: data.result: expected an array, got a string$" \
  --prometheus "$fake/rstring"
expect "an instant vector, not a matrix" 3 "^stackfit: $fake/vector/api/v1/query_range: not a Prometheus API answer: resultType \"vector\", expected \"matrix\"$" \
  --prometheus "$fake/vector"
expect "no result at all" 3 "^stackfit: $fake/noresult/api/v1/query_range: not a Prometheus API answer: no data.result array$" \
  --prometheus "$fake/noresult"
expect "partial data refused by default" 3 "^stackfit: $fake/warn: the server warned of partial data: partial response: store 10.0.0.7:10901 unavailable \(--allow-partial" \
  --prometheus "$fake/warn"
if "$stackfit" history --prometheus "$fake/warn" --since 1h --allow-partial --format json >"$work/out" 2>"$work/err" &&
  python3 -c "import json,sys;d=json.load(open(sys.argv[1]));sys.exit(0 if d['partial'] and d['warnings'] else 1)" "$work/out"; then
  ok "--allow-partial prints, marked partial"
else
  bad "--allow-partial: $(head -1 "$work/err")"
fi
expect "400 is never retried" 3 "^stackfit: $fake/e400/api/v1/query_range: HTTP 400: bad_data: invalid parameter \"query\": 1:1: parse error$" \
  --prometheus "$fake/e400" --retries 5
if "$stackfit" history --prometheus "$fake/flaky" --since 1h --concurrency 1 --format json >"$work/out" 2>"$work/err"; then
  check "503 retried with backoff, then answered" "$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['retries'])" "$work/out")" 2
else
  bad "flaky server: $(head -1 "$work/err")"
fi
expect "an 80 MB string in the answer" 3 "^stackfit: $fake/huge/api/v1/query_range: not a Prometheus API answer: a string longer than 65536 bytes$" \
  --prometheus "$fake/huge"
finish
