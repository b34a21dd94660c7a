#!/usr/bin/env bash
# Proof that stackfit talks to the container engine with GET only: a logging
# proxy (tests/testing/engine_log_proxy.py) sits on the engine socket of a
# private dockerd, every engine-using command runs through it, and every
# request line it logged must use an allowed method. Commands that need no
# engine run with DOCKER_HOST pointing at the proxy and must send nothing.
# Every command of `stackfit --help` must have a row in one of the two
# tables, so a new command cannot slip past this test.
#
# The one documented exception (docs/promises.md, docs/cleanup.md): `cleanup
# --force` removes what is left behind and may send DELETE (and POST for the
# build-cache prune), all from observe/engine_writer; every other row,
# `cleanup`'s dry run and `doctor` among them, stays "GET HEAD".
#
# Control: the Docker CLI's own `docker run`/`docker rm` through the same proxy
# must show up as POST and DELETE, so a proxy that logged nothing (or only
# GETs) would fail here rather than prove nothing.
# usage: engine_get_only_test.sh <stackfit> <source-dir>     (as root)
set -uo pipefail
stackfit=$1
src=$2
source "$src/tests/integration/record_common.sh" "$src" sfget

proxy_sock="$state/proxy.sock"
log="$work/requests.log"
/usr/bin/python3 "$src/tests/testing/engine_log_proxy.py" "$proxy_sock" "$sock" "$log" &
proxy_pid=$!
stop_proxy() { kill "$proxy_pid" 2>/dev/null; wait "$proxy_pid" 2>/dev/null; }
trap 'stop_proxy; cleanup' EXIT
for _ in $(seq 50); do [[ -S $proxy_sock ]] && break; sleep 0.1; done
[[ -S $proxy_sock ]] || { bad "proxy did not start"; finish; }
proxy="unix://$proxy_sock"

cat >"$work/compose.yml" <<'YAML'
version: "2.4"
services:
  web:
    image: stackfit-base:latest
    network_mode: none
    mem_limit: 64m
    stop_signal: SIGKILL
    command: ["sleep", "600"]
    healthcheck: {test: ["CMD", "true"], interval: 1s, retries: 3}
  worker:
    image: stackfit-base:latest
    network_mode: none
    mem_limit: 32m
    stop_signal: SIGKILL
    command: ["sleep", "600"]
YAML
compose up -d >/dev/null 2>&1 || { bad "compose up"; finish; }
wait_healthy 1 || bad "web not healthy"

# Control: the proxy sees the CLI's writes.
: >"$log"
DOCKER_HOST=$proxy timeout 60 docker run -d --name sfget-probe --network none stackfit-base:latest sleep 60 >/dev/null 2>&1 \
  || bad "docker run through the proxy"
DOCKER_HOST=$proxy timeout 60 docker rm -f sfget-probe >/dev/null 2>&1 || bad "docker rm through the proxy"
sleep 0.3
if grep -q '^POST /.*containers/create' "$log" && grep -q '^DELETE /.*containers/' "$log"; then
  ok "control: the proxy logs the CLI's POST and DELETE ($(wc -l <"$log") requests)"
else
  bad "control: no POST/DELETE logged: $(head -c 400 "$log")"
fi

# During every engine command a container of the project is restarted and a
# new one started and removed (through the daemon's own socket, not the
# proxy), so the recorder's event-driven paths (rediscovery, inspect) run too.
churn() {
  local i
  for ((i = 0; i < 100; i++)); do  # until the command follows the event stream (verify never does: 10 s)
    grep -q ' /v[0-9.]*/events' "$log" && break
    sleep 0.1
  done
  sleep 0.5
  harness_docker "$state" restart -t 0 sfget-worker-1 >/dev/null 2>&1
  harness_docker "$state" run -d --name sfget-late --network none \
    --label com.docker.compose.project=sfget --label com.docker.compose.service=late \
    stackfit-base:latest sleep 60 >/dev/null 2>&1
  sleep 1.5
  harness_docker "$state" rm -f sfget-late >/dev/null 2>&1
}

# engine_row NAME ALLOWED EXITS -- ARGS...: runs stackfit ARGS through the
# proxy (its --host or $DOCKER_HOST names the proxy) while churn runs; passes
# when it exits with one of EXITS, sent at least one request, and every
# request line's method is in ALLOWED.
covered=" "
engine_row() {
  local name=$1 allowed=$2 exits=$3 code methods m bad_lines=""
  shift 4
  covered+="${name%% *} "
  : >"$log"
  churn &
  local churn_pid=$!
  DOCKER_HOST=$proxy timeout 60 "$stackfit" "$@" >"$work/out" 2>"$work/err"
  code=$?
  wait "$churn_pid"
  sleep 0.2
  [[ " $exits " == *" $code "* ]] || { bad "$name: exit $code: $(head -c 300 "$work/err")"; return; }
  methods=$(awk '{print $1}' "$log" | sort | uniq -c | awk '{printf "%s %s, ", $2, $1}')
  [[ -s $log ]] || { bad "$name: no request reached the proxy"; return; }
  while read -r m _; do
    [[ " $allowed " == *" $m "* ]] || bad_lines+="$m "
  done <"$log"
  # The recorder's paths all ran: the event stream, and an inspect after the churn's start.
  if [[ $name == record* ]] && ! { grep -q '^GET /v[0-9.]*/events' "$log" &&
    [[ $(grep -c '^GET /v[0-9.]*/containers/[0-9a-f]\{64\}/json' "$log") -ge 3 ]]; }; then
    bad "$name: no event stream or no inspect after the churn: $(awk '{print $2}' "$log" | cut -c1-40 | tr '\n' ' ')"
    return
  fi
  [[ -z $bad_lines ]] && ok "$name: only ${allowed// /\/} (${methods%, })" \
    || bad "$name: methods outside $allowed: $(grep -v -E "^(${allowed// /|}) " "$log" | head -3)"
}

db="$work/rec.db"
f=(-f "$work/compose.yml" -p sfget)
engine_row "record -f" "GET HEAD" 0 -- record "${f[@]}" --host "$proxy" --interval 250ms --duration 6s --db "$db"
engine_row "record --project --listen" "GET HEAD" 0 -- record --project sfget --interval 250ms --duration 6s \
  --db "$db" --listen "$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
engine_row "record --all (DOCKER_HOST)" "GET HEAD" 0 -- record --all --interval 250ms --duration 6s --db "$db"
engine_row "top --all" "GET HEAD" 0 -- top --all --host "$proxy" --interval 250ms --duration 6s
engine_row "top -f" "GET HEAD" 0 -- top "${f[@]}" --interval 250ms --duration 6s
engine_row "verify -f" "GET HEAD" "0 1" -- verify "${f[@]}" --host "$proxy" --format json
engine_row "doctor" "GET HEAD" "0 1" -- doctor --host "$proxy" --format json
engine_row "cleanup (dry run)" "GET HEAD" 0 -- cleanup --host "$proxy" --format json
# The one exception (docs/promises.md): cleanup --force.
engine_row "cleanup --force" "GET HEAD DELETE POST" "0 1" -- cleanup --force --host "$proxy" --format json

# none_row NAME EXITS -- ARGS...: a command that needs no engine sends nothing,
# even with DOCKER_HOST naming the proxy.
none_row() {
  local name=$1 exits=$2 code
  shift 3
  covered+="${name%% *} "
  : >"$log"
  DOCKER_HOST=$proxy timeout 60 "$stackfit" "$@" >"$work/out" 2>"$work/err"
  code=$?
  sleep 0.2
  if [[ " $exits " != *" $code "* ]]; then bad "$name: exit $code: $(head -c 300 "$work/err")"
  elif [[ -s $log ]]; then bad "$name: sent $(wc -l <"$log") engine requests: $(head -2 "$log")"
  else ok "$name: no engine request"; fi
}
none_row "inspect -f" 0 -- inspect "${f[@]}"
none_row "check -f --budget" "0 1" -- check "${f[@]}" --budget 1Gi
none_row "check --db" "0 1" -- check "${f[@]}" --db "$db"
none_row "machines" 0 -- machines
none_row "recommend --db" "0 1" -- recommend --db "$db" --format json
cp "$work/out" "$work/rec.json"
none_row "backtest --db" "0 1" -- backtest --db "$db"
none_row "plan --budget" "0 1" -- plan "${f[@]}" --budget 1Gi
none_row "plan --startup --db" "0 1" -- plan "${f[@]}" --startup --budget 1Gi --db "$db"
none_row "apply --dry-run" "0 1" -- apply "${f[@]}" --from "$work/rec.json" --dry-run
none_row "report --db" "0 1" -- report "${f[@]}" --db "$db" --output "$work/report.html"
# history reads Prometheus only: with no --prometheus it refuses (2) without the engine.
none_row "history" 2 -- history
none_row "version --format json" 0 -- version --format json
none_row "completion bash" 0 -- completion bash

# Every command of the binary has a row above.
missing=""
for cmd in $("$stackfit" --help | awk '/^Subcommands:/ {on = 1; next} on && NF {print $1}'); do
  [[ $covered == *" $cmd "* ]] || missing+="$cmd "
done
[[ -z $missing ]] && ok "every command has a row" || bad "commands without a row: $missing"
finish
