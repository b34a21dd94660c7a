#!/usr/bin/env bash
# `stackfit record --listen` against a real dockerd of its own and a real
# Prometheus: a Compose 1.29 project whose service holds ~24 MiB in a 64 MiB
# container is recorded with /metrics served on a free loopback port;
# `promtool check metrics` accepts the text; Debian's prometheus (own TSDB in
# a temp dir, own loopback port, 1 s scrape interval, config written here)
# scrapes it, and its HTTP API must show up == 1 and
# container_memory_working_set_bytes{service="steady"} within 20..64 MiB.
# Also: 404/405 answers, garbage clients, bad --listen values (exit 2) and a
# port in use (exit 3, one line, no DB file created).
# usage: record_metrics_test.sh <stackfit> <source-dir>     (as root)
set -uo pipefail
stackfit=$1
source "$2/tests/integration/record_common.sh" "$2" sfmet

prom_pid=""
stop_prometheus() {
  if [[ -n $prom_pid ]]; then
    kill "$prom_pid" 2>/dev/null
    wait "$prom_pid" 2>/dev/null
    prom_pid=""
  fi
}
silent_pid=""
trap 'stop_prometheus; [[ -n $silent_pid ]] && kill "$silent_pid" 2>/dev/null; cleanup' EXIT
source "$2/tests/testing/loopback.sh"
# prom_query EXPR: the first result's value, or "" (Prometheus' HTTP API).
prom_query() {
  curl -sf --max-time 2 "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode "query=$1" |
    /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")' 2>/dev/null
}

cat >"$work/compose.yml" <<'YAML'
version: "2.4"
services:
  steady:
    image: stackfit-base:latest
    network_mode: none
    mem_limit: 64m
    volumes: ["/usr:/usr:ro"]
    command: ["python3", "-c", "import time; b = bytearray(24 << 20); time.sleep(600)"]
YAML
compose up -d >"$work/up.log" 2>&1 || { bad "compose up: $(tail -1 "$work/up.log")"; finish; }

# ---- bad --listen values: exit 2, one line, nothing recorded -----------------
for value in 0 70000 abc host.example:9100 "::1:9100"; do
  err=$("$stackfit" record --project sfmet --host "unix://$sock" --duration 1s --db "$work/bad.db" --listen "$value" 2>&1)
  code=$?
  if [[ $code -eq 2 && $(wc -l <<<"$err") -eq 1 && $err == "stackfit: --listen \"$value\": "* && ! -e $work/bad.db ]]; then
    ok "--listen $value: exit 2, one line"
  else
    bad "--listen $value: exit $code: $err"
  fi
done

# ---- record with /metrics served ----------------------------------------------
port=$(free_port)
db="$work/rec.db"
"$stackfit" record --project sfmet --host "unix://$sock" --interval 500ms --duration 30s --db "$db" \
  --listen "$port" --format json >"$work/out.json" 2>"$work/rec.err" &
background_pid=$!
metrics=""
for _ in $(seq 50); do
  metrics=$(curl -sf --max-time 2 "http://127.0.0.1:$port/metrics")
  [[ $metrics == *'service="steady"'* ]] && break
  sleep 0.2
done
[[ $metrics == *'container_memory_working_set_bytes{name="sfmet_steady_1",service="steady",project="sfmet"'* ]] \
  && ok "/metrics shows steady's working set" || bad "/metrics: $(head -c 300 <<<"$metrics")"
grep -q "^stackfit: serving http://127.0.0.1:$port/metrics$" "$work/rec.err" \
  && ok "a bare port binds 127.0.0.1" || bad "serving line: $(cat "$work/rec.err")"
ss -Hltn "sport = :$port" | grep -q "127.0.0.1:$port" && ! ss -Hltn "sport = :$port" | grep -qv "127.0.0.1:$port" \
  && ok "listening on loopback only" || bad "listeners: $(ss -Hltn "sport = :$port")"
if promtool check metrics <<<"$metrics" >"$work/promtool.out" 2>&1; then
  ok "promtool check metrics accepts the text"
else
  bad "promtool: $(head -3 "$work/promtool.out")"
fi
ctype=$(curl -s -o /dev/null -w '%{content_type}' "http://127.0.0.1:$port/metrics")
[[ $ctype == "text/plain; version=0.0.4"* ]] && ok "Content-Type $ctype" || bad "Content-Type '$ctype'"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")
[[ $code == 404 ]] && ok "other path: 404" || bad "other path: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/metrics")
[[ $code == 405 ]] && ok "POST: 405" || bad "POST: $code"
answer=$(printf '\x16\x03\x01\x00\xff garbage\n\n' | timeout 5 /usr/bin/python3 -c '
import socket,sys; s=socket.create_connection(("127.0.0.1",'"$port"')); s.sendall(sys.stdin.buffer.read()); print(s.recv(100).split(b"\r\n")[0].decode())')
[[ $answer == "HTTP/1.1 400 Bad Request" ]] && ok "binary garbage: 400" || bad "garbage answer '$answer'"

# A second recorder on the same port: exit 3, one line, no DB file.
err=$("$stackfit" record --project sfmet --host "unix://$sock" --duration 1s --db "$work/second.db" --listen "127.0.0.1:$port" 2>&1)
code=$?
if [[ $code -eq 3 && $err == "stackfit: --listen 127.0.0.1:$port: bind: Address already in use" && ! -e $work/second.db ]]; then
  ok "port in use: exit 3, one line, no DB"
else
  bad "port in use: exit $code: $err"
fi

# ---- a real Prometheus scrapes it, with 20 silent connections held open -------
/usr/bin/python3 -c '
import socket, sys, time
held = [socket.create_connection(("127.0.0.1", int(sys.argv[1]))) for _ in range(20)]
time.sleep(8)' "$port" &
silent_pid=$!
prom_port=$(free_port)
mkdir -p "$work/tsdb"
cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: stackfit
    static_configs:
      - targets: ["127.0.0.1:$port"]
YAML
/usr/bin/prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" >"$work/prom.log" 2>&1 &
prom_pid=$!
up="" ws=""
for _ in $(seq 60); do
  up=$(prom_query 'up{job="stackfit"}')
  ws=$(prom_query 'container_memory_working_set_bytes{service="steady",project="sfmet"}')
  [[ $up == 1 && -n $ws ]] && break
  sleep 0.5
done
[[ $up == 1 ]] && ok "Prometheus: up == 1" || bad "Prometheus up '$up': $(tail -2 "$work/prom.log")"
if [[ -n $ws ]] && ((ws >= 20 * 1048576 && ws <= 64 * 1048576)); then
  ok "Prometheus: working set of steady $ws bytes within 20..64 MiB"
else
  bad "Prometheus: working set '$ws'"
fi
limit=$(prom_query 'container_spec_memory_limit_bytes{service="steady"}')
[[ $limit == $((64 * 1048576)) ]] && ok "Prometheus: limit 64 MiB" || bad "Prometheus: limit '$limit'"
health=$(curl -sf "http://127.0.0.1:$prom_port/api/v1/targets" |
  /usr/bin/python3 -c 'import json,sys; t=json.load(sys.stdin)["data"]["activeTargets"][0]; print(t["health"], t["lastError"] or "-")')
[[ $health == "up -" ]] && ok "Prometheus target healthy, no scrape error" || bad "target: $health"
sleep 3
scrapes=$(prom_query 'count_over_time(up{job="stackfit"}[1m])')
worst=$(prom_query 'min_over_time(up{job="stackfit"}[1m])')
[[ $worst == 1 ]] && ((scrapes >= 3)) && ok "Prometheus: all $scrapes scrapes succeeded while 20 silent clients were held" \
  || bad "Prometheus: $scrapes scrapes, min up '$worst'"
stop_prometheus
kill "$silent_pid" 2>/dev/null
wait "$silent_pid" 2>/dev/null

# ---- the recording went on undisturbed -----------------------------------------
kill -INT "$background_pid"
wait "$background_pid"
code=$?
background_pid=""
[[ $code -eq 0 ]] && ok "record exits 0 after serving" || bad "record exit $code: $(cat "$work/rec.err")"
samples=$(json "s['steady']['samples']")
rows=$(sqlite3 "$db" 'SELECT count(*), max(time_ns) - min(time_ns) FROM samples')
span_ms=$(( ${rows#*|} / 1000000 ))
# At 500 ms a sample per interval: no tick lost to the clients above.
if ((samples >= span_ms / 500)); then ok "record kept sampling: $samples samples over ${span_ms} ms"; else bad "samples $samples over ${span_ms} ms"; fi
curl -s --max-time 1 "http://127.0.0.1:$port/metrics" >/dev/null && bad "port still served after record ended" \
  || ok "port closed when record ends"
finish
