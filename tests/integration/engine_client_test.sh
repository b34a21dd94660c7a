#!/usr/bin/env bash
# The engine client against a real dockerd of its own (tests/docker/dockerd_harness.sh):
# list, inspect and events for a `docker run` container under limits and a
# Docker Compose 1.29 project, then two real OOM kills (the main process; a
# child while the container keeps running), then the client's error lines.
# Driver: engine_probe (tests/integration/engine_probe.cpp), found beside the
# stackfit binary at <build>/tests/integration/engine_probe or $STACKFIT_ENGINE_PROBE.
# usage: engine_client_test.sh <stackfit> <source-dir>     (as root)
set -uo pipefail
stackfit=$1
source_dir=$2
probe=${STACKFIT_ENGINE_PROBE:-$(dirname "$stackfit")/tests/integration/engine_probe}
source "$source_dir/tests/docker/dockerd_harness.sh"

state=$(mktemp -d /tmp/sfeng.XXXXXX)
work=$(mktemp -d)
chmod 0755 "$work"
sock="$state/docker.sock"
passed=0
failures=0
cleanup() {
  if [[ -S $sock ]]; then
    DOCKER_HOST="unix://$sock" timeout 60 docker-compose -p sfeng -f "$work/docker-compose.yml" down -t 0 >/dev/null 2>&1
    harness_docker "$state" rm -f sfe-limited sfe-oom sfe-child >/dev/null 2>&1
  fi
  harness_stop "$state"
  rm -rf "$state" "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ok() {
  echo "ok   $1"
  passed=$((passed + 1))
}
bad() {
  echo "FAIL $1"
  failures=$((failures + 1))
}
# check NAME ACTUAL EXPECTED
check() {
  if [[ $2 == "$3" ]]; then ok "$1"; else bad "$1: got '$2', want '$3'"; fi
}
# field FILE KEY: the value of KEY=... in engine_probe inspect output
field() { sed -n "s/^$2=//p" "$1"; }
dk() { harness_docker "$state" "$@"; }
ms_now() { date +%s%3N; }
finish() {
  echo "$passed passed, $failures failed"
  ((failures == 0))
  exit
}

if [[ ! -x $probe ]]; then
  bad "engine_probe not built at $probe (add_subdirectory(integration) in tests/CMakeLists.txt)"
  finish
fi

t0=$(ms_now)
if ! harness_start "$state"; then
  bad "dockerd start"
  finish
fi
t1=$(ms_now)
if ! harness_base_image "$state"; then
  bad "base image import"
  finish
fi
t2=$(ms_now)
echo "info dockerd start $((t1 - t0)) ms, base image import $((t2 - t1)) ms"

check "version negotiated" "$("$probe" "$sock" version 2>&1)" "1.41"
since=$(date +%s)

# ---- docker run under limits ------------------------------------------------
limited=$(dk run -d --name sfe-limited --memory 64m --memory-reservation 32m --cpus 0.5 \
  -v /usr:/usr:ro stackfit-base sleep 300)
"$probe" "$sock" inspect sfe-limited >"$work/limited" 2>&1
check "inspect id" "$(field "$work/limited" id)" "$limited"
check "inspect name" "$(field "$work/limited" name)" "sfe-limited"
check "inspect service falls back to name" "$(field "$work/limited" service)" "sfe-limited"
check "inspect image" "$(field "$work/limited" image)" "stackfit-base"
check "inspect memory limit" "$(field "$work/limited" memory_limit)" "67108864"
check "inspect memory request" "$(field "$work/limited" memory_request)" "33554432"
check "inspect cpu limit (millicores)" "$(field "$work/limited" cpu_limit)" "500"
check "inspect pid = docker inspect pid" "$(field "$work/limited" pid)" "$(dk inspect -f '{{.State.Pid}}' sfe-limited)"
pid=$(field "$work/limited" pid)
if grep -q "memory:.*$limited" "/proc/$pid/cgroup" 2>/dev/null; then
  ok "State.Pid is the container's process (its memory cgroup names the id)"
else
  bad "State.Pid $pid: /proc/$pid/cgroup does not name $limited"
fi
check "limit enforced by the kernel" "$(cat "/sys/fs/cgroup/memory/docker/$limited/memory.limit_in_bytes" 2>&1)" "67108864"

# ---- a Docker Compose 1.29 project ---------------------------------------------
cat >"$work/docker-compose.yml" <<'YAML'
version: "2.4"
services:
  web:
    image: stackfit-base:latest
    command: ["sleep", "300"]
    network_mode: none
    mem_limit: 96m
    mem_reservation: 48m
    cpus: 0.25
    volumes: ["/usr:/usr:ro"]
  worker:
    image: stackfit-base:latest
    command: ["sleep", "300"]
    network_mode: none
    volumes: ["/usr:/usr:ro"]
YAML
if DOCKER_HOST="unix://$sock" timeout 120 docker-compose -p sfeng -f "$work/docker-compose.yml" up -d \
  >"$work/compose.log" 2>&1; then
  ok "docker-compose up"
else
  bad "docker-compose up: $(tail -1 "$work/compose.log")"
fi
compose_ids=$(DOCKER_HOST="unix://$sock" docker-compose -p sfeng -f "$work/docker-compose.yml" ps -q | sort)
check "list by project = docker-compose ps -q" "$("$probe" "$sock" list sfeng 2>&1 | sort)" "$compose_ids"
check "list of another project is empty" "$("$probe" "$sock" list nosuchproject 2>&1)" ""
check "list all = docker ps -q --no-trunc" "$("$probe" "$sock" list 2>&1 | sort)" "$(dk ps -q --no-trunc | sort)"
"$probe" "$sock" inspect sfeng_web_1 >"$work/web" 2>&1
check "compose project label" "$(field "$work/web" project)" "sfeng"
check "compose service label" "$(field "$work/web" service)" "web"
check "compose container number" "$(field "$work/web" number)" "1"
check "compose mem_limit" "$(field "$work/web" memory_limit)" "100663296"
check "compose mem_reservation" "$(field "$work/web" memory_request)" "50331648"
check "compose cpus" "$(field "$work/web" cpu_limit)" "250"
"$probe" "$sock" inspect sfeng_worker_1 >"$work/worker" 2>&1
check "no limits declared: none invented" \
  "$(field "$work/worker" memory_limit) $(field "$work/worker" memory_request) $(field "$work/worker" cpu_limit)" \
  "unset unset unset"

# ---- events: replay of what is buffered ------------------------------------------
"$probe" "$sock" events "$since" 0 >"$work/replay" 2>&1
check "replayed start events (1 run + 2 compose)" "$(grep -c '^start ' "$work/replay")" "3"
check "replay holds sfe-limited's start" "$(grep -c "^start $limited " "$work/replay")" "1"

# ---- the main process OOM-killed ----------------------------------------------------
since=$(date +%s)
"$probe" "$sock" events "$since" 30000 die >"$work/events" 2>&1 &
listener=$!
sleep 0.5
dk run --name sfe-oom --memory 32m --memory-swap 32m -v /usr:/usr:ro stackfit-base \
  python3 -c "b=bytearray(200<<20)" >/dev/null 2>&1
check "OOM-killed container exits 137" "$?" "137"
start_wait=$(ms_now)
wait "$listener"
check "event stream stopped by the callback" "$?" "0"
waited=$(($(ms_now) - start_wait))
if ((waited < 10000)); then ok "stream ended on the die event (${waited} ms after exit, bound 30 s)"; else bad "stream ran ${waited} ms"; fi
oom_id=$(dk inspect -f '{{.Id}}' sfe-oom)
check "oom event for the container" "$(grep -c "^oom $oom_id " "$work/events")" "1"
check "die event with exit code 137" "$(grep -c "^die $oom_id 137 " "$work/events")" "1"
"$probe" "$sock" inspect sfe-oom >"$work/oom" 2>&1
check "State.OOMKilled after exit" "$(field "$work/oom" oom_killed)" "true"
check "State.Pid 0 after exit" "$(field "$work/oom" pid)" "0"

# ---- a child OOM-killed, the container keeps running --------------------------------
since=$(date +%s)
dk run -d --name sfe-child --memory 32m --memory-swap 32m -v /usr:/usr:ro stackfit-base \
  sh -c 'python3 -c "b=bytearray(200<<20)"; sleep 300' >/dev/null
child_id=$(dk inspect -f '{{.Id}}' sfe-child)
deadline=$((SECONDS + 20))
while ((SECONDS < deadline)); do
  "$probe" "$sock" events "$since" 0 >"$work/child_events" 2>&1
  grep -q "^oom $child_id " "$work/child_events" && break
  sleep 0.5
done
check "oom event while the container runs" "$(grep -c "^oom $child_id " "$work/child_events")" "1"
check "no die event for it" "$(grep -c "^die $child_id " "$work/child_events")" "0"
"$probe" "$sock" inspect sfe-child >"$work/child" 2>&1
check "State.OOMKilled still false while running (Docker's behaviour)" "$(field "$work/child" oom_killed)" "false"
check "kernel oom_kill counter is the live truth" \
  "$(sed -n 's/^oom_kill //p' "/sys/fs/cgroup/memory/docker/$child_id/memory.oom_control" 2>&1)" "1"

# ---- restart and destroy ---------------------------------------------------------------
since=$(date +%s)
dk restart -t 0 sfe-limited >/dev/null
dk rm sfe-oom >/dev/null
"$probe" "$sock" events "$since" 0 >"$work/lifecycle" 2>&1
check "restart event" "$(grep -c "^restart $limited " "$work/lifecycle")" "1"
check "destroy event" "$(grep -c "^destroy $oom_id " "$work/lifecycle")" "1"

# ---- a bounded, idle stream -----------------------------------------------------------
sleep 1.1  # `since` is whole seconds: start past the second of the last event
t_start=$(ms_now)
"$probe" "$sock" events "$(date +%s)" 1500 >"$work/idle" 2>&1
code=$?
elapsed=$(($(ms_now) - t_start))
check "idle stream ends normally" "$code $(wc -l <"$work/idle")" "0 0"
if ((elapsed >= 1400 && elapsed < 4000)); then ok "idle stream bounded (${elapsed} ms for 1500)"; else bad "idle stream took ${elapsed} ms"; fi

# ---- error lines --------------------------------------------------------------------------
err=$("$probe" "$sock" inspect no-such-container 2>&1)
check "missing container: exit 2" "$?" "2"
check "missing container: one line" "$err" \
  "$sock: GET /v1.41/containers/no-such-container/json: HTTP 404: No such container: no-such-container"
err=$("$probe" "$state/nothing.sock" version 2>&1)
check "missing socket: exit 3" "$?" "3"
check "missing socket: one line" "$err" "$state/nothing.sock: connect: No such file or directory"

dk rm -f sfe-child >/dev/null
"$probe" "$sock" events "$(date +%s)" 30000 >/dev/null 2>"$work/cut" &
listener=$!
sleep 0.5
harness_stop "$state"
t_start=$(ms_now)
wait "$listener"
check "daemon stopped mid-stream: exit 3" "$?" "3"
check "daemon stopped mid-stream: one line" "$(cat "$work/cut")" "$sock: GET /v1.41/events: connection closed before the answer ended"
elapsed=$(($(ms_now) - t_start))
if ((elapsed < 2000)); then ok "stream ended with the daemon (${elapsed} ms after stop)"; else bad "stream outlived the daemon by ${elapsed} ms"; fi
if [[ -z $(awk -v d="$state/" 'index($2, d) == 1' /proc/self/mounts) ]]; then ok "no mounts left under the state dir"; else bad "mounts left"; fi
leftover=""
for proc in /proc/[0-9]*; do
  if { tr '\0' ' ' <"$proc/cmdline"; } 2>/dev/null | grep -qF "$state/"; then leftover+=" ${proc#/proc/}"; fi
done
check "no dockerd/containerd process left" "$leftover" ""
err=$("$probe" "$sock" version 2>&1)
check "stopped daemon: one line" "$err" "$sock: connect: No such file or directory"
finish
