#!/usr/bin/env bash
# `stackfit record` while the world changes under it, against a real dockerd
# of its own: a container started during the recording is picked up, one
# removed is closed, and a restart of the daemon mid-recording is survived —
# record says on stderr that the engine was lost and is back, keeps every
# batch, and samples the container started after the restart.
# usage: record_churn_test.sh <stackfit> <source-dir>     (as root)
set -uo pipefail
stackfit=$1
source "$2/tests/integration/record_common.sh" "$2" rchurn

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

db="$work/rec.db"
"$stackfit" record --project rchurn --host "unix://$sock" --interval 250ms --duration 90s --db "$db" \
  --format json >"$work/out.json" 2>"$work/err.txt" &
background_pid=$!
sleep 3
# The engine transport is our own: recording never maps libcurl (only the Prometheus client uses it).
maps=$(cat "/proc/$background_pid/maps" 2>/dev/null)
if [[ $maps != *stackfit* ]]; then bad "no /proc maps of the running record"
elif [[ $maps == *libcurl* ]]; then bad "record maps libcurl: $(grep -m1 libcurl <<<"$maps")"
else ok "record does not load libcurl"; fi
# GLPK is dlopen-ed by plan's ILP only (plan/glpk_library.cpp): ~0.4 MB of the recorder's RSS otherwise.
if [[ $maps == *libglpk* ]]; then bad "record maps libglpk: $(grep -m1 libglpk <<<"$maps")"
elif [[ $maps == *stackfit* ]]; then ok "record does not load libglpk"; fi
compose up -d late >/dev/null 2>&1 || bad "compose up late"
sleep 3
compose rm -sf first >/dev/null 2>&1 || bad "compose rm first"
removed_ns=$(date +%s%N)
sleep 1
harness_stop "$state" || bad "dockerd stop"
sleep 2
harness_start "$state" || bad "dockerd restart"
compose up -d late >/dev/null 2>&1 || bad "compose up late after restart"
restarted_ns=$(date +%s%N)
# A daemon restart can take many seconds on a loaded machine: stop the
# recording (SIGTERM, like Ctrl-C) a fixed time after the restart rather
# than at a fixed duration from its start; --duration only bounds the test.
sleep 3
kill -TERM "$background_pid" 2>/dev/null
wait "$background_pid"
code=$?
background_pid=""

[[ $code -eq 0 ]] && ok "record exits 0" || bad "record exit $code: $(cat "$work/err.txt")"
grep -q "engine lost" "$work/err.txt" && ok "engine loss reported" || bad "no engine-loss notice: $(cat "$work/err.txt")"
grep -q "is back" "$work/err.txt" && ok "engine return reported" || bad "no engine-back notice"
[[ $(json "sorted(s)") == "['first', 'late']" ]] && ok "both services recorded" || bad "services: $(json "sorted(s)")"
late_samples=$(json "s['late']['samples']")
((late_samples >= 12)) && ok "late, started during the recording, has $late_samples samples" \
  || bad "late samples: $late_samples"
first_after=$(sqlite3 "$db" "SELECT count(*) FROM samples s JOIN containers c ON c.key = s.container_key
  WHERE c.service = 'first' AND s.time_ns > $removed_ns + 500000000")
[[ $first_after == 0 ]] && ok "no sample of first after its removal" || bad "first after removal: $first_after"
late_after=$(sqlite3 "$db" "SELECT count(*) FROM samples s JOIN containers c ON c.key = s.container_key
  WHERE c.service = 'late' AND s.time_ns > $restarted_ns")
((late_after >= 4)) && ok "$late_after samples of late after the daemon restart" || bad "after restart: $late_after"
[[ $(sqlite3 "$db" 'PRAGMA integrity_check') == ok ]] && ok "integrity_check ok" || bad "integrity"
finish
