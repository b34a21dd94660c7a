#!/usr/bin/env bash
# `stackfit record` across a restart of its (private) dockerd: it says on
# stderr that the engine was lost and is back, keeps the cgroup readings and
# every batch written, and finds the container started after the restart.
# usage: record_restart_test.sh <stackfit> <source-dir>     (as root)
set -uo pipefail
stackfit=$1
source_dir=$2
source "$source_dir/tests/docker/dockerd_harness.sh"

state=$(mktemp -d /tmp/sfrs.XXXXXX)
work=$(mktemp -d)
chmod 0755 "$work"
sock="$state/docker.sock"
passed=0
failures=0
record_pid=""
compose() { DOCKER_HOST="unix://$sock" timeout 120 docker-compose -p sfrs -f "$work/compose.yml" "$@"; }
cleanup() {
  [[ -n $record_pid ]] && kill "$record_pid" 2>/dev/null
  [[ -S $sock ]] && compose down -t 0 >/dev/null 2>&1
  harness_stop "$state"
  rm -rf "$state" "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ok() { echo "ok   $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1"; failures=$((failures + 1)); }
finish() {
  echo "$passed passed, $failures failed"
  ((failures == 0))
  exit
}

harness_start "$state" || { bad "dockerd start"; finish; }
harness_base_image "$state" || { bad "base image import"; finish; }
cat >"$work/compose.yml" <<'YAML'
version: "2.4"
services:
  first:
    image: stackfit-base:latest
    network_mode: none
    mem_limit: 64m
    stop_signal: SIGKILL  # sleep as PID 1 ignores SIGTERM: don't wait 10 s for it
    command: ["sleep", "600"]
  late:
    image: stackfit-base:latest
    network_mode: none
    mem_limit: 48m
    stop_signal: SIGKILL
    command: ["sleep", "600"]
YAML
compose up -d first >/dev/null 2>&1 || { bad "compose up first"; finish; }

db="$work/rr.db"
"$stackfit" record --project sfrs --host "unix://$sock" --interval 250ms --duration 20s --db "$db" \
  --format json >"$work/out.json" 2>"$work/err.txt" &
record_pid=$!
sleep 3
compose up -d late >/dev/null 2>&1 || bad "compose up late"
sleep 3
compose rm -sf first >/dev/null 2>&1 || bad "compose rm first"
sleep 1
harness_stop "$state" || bad "dockerd stop"
sleep 2
harness_start "$state" || bad "dockerd restart"
compose up -d late >/dev/null 2>&1 || bad "compose up late after restart"
restarted_ns=$(date +%s%N)
wait "$record_pid"
code=$?
record_pid=""

[[ $code -eq 0 ]] && ok "record exits 0" || bad "record exit $code: $(cat "$work/err.txt")"
grep -q "engine lost" "$work/err.txt" && ok "engine loss reported" || bad "no engine-loss notice: $(cat "$work/err.txt")"
grep -q "is back" "$work/err.txt" && ok "engine return reported" || bad "no engine-back notice"
after=$(sqlite3 "$db" "SELECT count(*) FROM samples s JOIN containers c ON c.key = s.container_key
  WHERE c.service = 'late' AND s.time_ns > $restarted_ns")
((after >= 4)) && ok "$after samples of late after the restart" || bad "samples after restart: $after"
json() { /usr/bin/python3 -c "import json; d=json.load(open('$work/out.json')); s={x['name']: x for x in d['services']}; print($1)"; }
[[ $(json "sorted(s)") == "['first', 'late']" ]] && ok "both services recorded" || bad "services: $(json "sorted(s)")"
late_samples=$(json "s['late']['samples']")
((late_samples >= 12)) && ok "late, started during the recording, has $late_samples samples" \
  || bad "late samples: $late_samples"
first_last=$(json "s['first']['last_ns']")
late_last=$(json "s['late']['last_ns']")
((first_last < late_last)) && ok "removed container closed before the end" || bad "first last $first_last, late last $late_last"
[[ $(sqlite3 "$db" 'PRAGMA integrity_check') == ok ]] && ok "integrity_check ok" || bad "integrity"
finish
