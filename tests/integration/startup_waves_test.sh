#!/usr/bin/env bash
# `stackfit plan --startup` against a real stack under a private dockerd
# (tests/docker/dockerd_harness.sh) and Debian's docker-compose 1.29.
# Three services run the host's python3: each allocates a 150 MiB transient
# at start-up, frees it after 3 s, then reports healthy (a file its health
# check tests). Each fits the 256 MiB budget alone; two at once do not.
#  1. all at once, recorded by `stackfit record --interval 100ms`: the stack's
#     total working set (sum over its containers per reading) exceeds 256 MiB;
#  2. plan --startup --db with that recording: three waves, measured peaks,
#     a Compose override chaining them on service_healthy;
#  3. started again with the override, recorded the same way: the total stays
#     under 256 MiB, and each wave started after the previous one was healthy.
# usage: startup_waves_test.sh <stackfit> <source-dir>     (as root)
set -uo pipefail
stackfit=$1
source "$2/tests/integration/record_common.sh" "$2" sfstart

budget_mib=256
cat >"$work/compose.yml" <<'YAML'
version: "2.4"
x-starter: &starter
  image: stackfit-base:latest
  network_mode: none
  mem_limit: 256m
  stop_signal: SIGKILL
  volumes: ["/usr:/usr:ro"]
  command: ["python3", "-c", "import time; b = bytearray(150 << 20); time.sleep(3); del b; open('/tmp/ready', 'w').close(); time.sleep(1e6)"]
  healthcheck:
    test: ["CMD", "test", "-f", "/tmp/ready"]
    interval: 1s
    timeout: 1s
    retries: 60
services:
  alpha: *starter
  beta: *starter
  gamma:
    <<: *starter
    depends_on: [alpha]
YAML

# record_into DB: a recorder of the project in the background ($background_pid).
record_into() {
  "$stackfit" record -f "$work/compose.yml" -p sfstart --host "unix://$sock" --interval 100ms --db "$1" \
    >"$work/record.out" 2>"$work/record.err" &
  background_pid=$!
  sleep 1
}
stop_recording() {
  kill -INT "$background_pid" 2>/dev/null
  wait "$background_pid" 2>/dev/null
  background_pid=""
}
# The highest total working set of the project's containers in one reading, in bytes.
stack_peak() {
  sqlite3 "$1" "SELECT max(total) FROM (SELECT sum(s.working_set_bytes) AS total FROM samples s
                JOIN containers c ON c.key = s.container_key WHERE c.project = 'sfstart' GROUP BY s.time_ns)"
}
mib() { echo "$(($1 / 1048576)) MiB"; }

# ---- 1. all at once ----------------------------------------------------------
record_into "$work/all.db"
compose up -d >"$work/up.log" 2>&1 || { bad "compose up: $(tail -1 "$work/up.log")"; finish; }
wait_healthy 3 || bad "all at once: services did not turn healthy"
sleep 3
stop_recording
all_peak=$(stack_peak "$work/all.db")
if [[ -n $all_peak ]] && ((all_peak > budget_mib * 1048576)); then
  ok "all at once: stack peak $(mib "$all_peak") exceeds the $budget_mib MiB budget"
else
  bad "all at once: stack peak '$all_peak' (expected above $budget_mib MiB)"
fi
compose down -t 0 >/dev/null 2>&1

# ---- 2. the plan -----------------------------------------------------------
plan() {
  "$stackfit" plan --startup -f "$work/compose.yml" -p sfstart --budget "${budget_mib}Mi" --db "$work/all.db" \
    --startup-window 6s "$@"
}
plan --format json --write "$work/startup.yml" >"$work/plan.json" 2>"$work/plan.err"
code=$?
[[ $code -eq 0 ]] && ok "plan --startup exits 0 (staged start-up fits)" || bad "plan --startup exit $code: $(cat "$work/plan.err")"
pj() { /usr/bin/python3 -c "import json; d=json.load(open('$work/plan.json')); print($1)"; }
[[ $(pj "len(d['waves'])") == 3 ]] && ok "three waves: $(pj "[w['services'] for w in d['waves']]")" \
  || bad "waves: $(pj "[w['services'] for w in d['waves']]")"
[[ $(pj "d['waves'][2]['services']") == "['gamma']" || $(pj "d['services'][2]['wave'] > d['services'][0]['wave']") == True ]] \
  && ok "gamma starts after alpha (depends_on)" || bad "gamma wave $(pj "d['services'][2]['wave']")"
[[ $(pj "sorted(set(s['source'] for s in d['services']))") == "['measured']" ]] && ok "all peaks measured" \
  || bad "sources: $(pj "[s['source'] for s in d['services']]")"
peak_a=$(pj "d['services'][0]['startup_peak_bytes']")
((peak_a >= 150 * 1048576 && peak_a <= budget_mib * 1048576)) && ok "alpha's measured start-up peak $(mib "$peak_a")" \
  || bad "alpha startup peak $peak_a"
[[ $(pj "d['all_at_once_fits']") == False && $(pj "d['fits']") == True ]] && ok "verdicts: all at once no, staged yes" \
  || bad "verdicts: all_at_once_fits $(pj "d['all_at_once_fits']") fits $(pj "d['fits']")"
grep -q "condition: service_healthy" "$work/startup.yml" && ok "override chains waves on service_healthy" \
  || bad "override: $(cat "$work/startup.yml")"
out=$(plan 2>&1)
grep -q "^staged: 3 waves" <<<"$out" && ok "table output" || bad "table: $out"

# ---- 3. staged with the override ------------------------------------------------
record_into "$work/staged.db"
DOCKER_HOST="unix://$sock" timeout 120 docker-compose -p sfstart -f "$work/compose.yml" -f "$work/startup.yml" \
  up -d >"$work/up2.log" 2>&1 || { bad "compose up with override: $(tail -1 "$work/up2.log")"; finish; }
wait_healthy 3 || bad "staged: services did not turn healthy"
sleep 2
stop_recording
staged_peak=$(stack_peak "$work/staged.db")
if [[ -n $staged_peak ]] && ((staged_peak <= budget_mib * 1048576)); then
  ok "staged: stack peak $(mib "$staged_peak") stays under the $budget_mib MiB budget (all at once: $(mib "$all_peak"))"
else
  bad "staged: stack peak '$staged_peak' (budget $budget_mib MiB)"
fi
# Each wave's containers started after the previous wave's peak was over:
# start events of the three services are at least 3 s apart.
starts=$(sqlite3 "$work/staged.db" "SELECT group_concat(t, ' ') FROM (SELECT min(e.time_ns) / 1000000 AS t FROM events e
          JOIN containers c ON c.key = e.container_key WHERE e.kind = 'start' GROUP BY c.service ORDER BY t)")
read -r s1 s2 s3 <<<"$starts"
if [[ -n ${s3:-} ]] && ((s2 - s1 >= 3000 && s3 - s2 >= 3000)); then
  ok "waves started one after another ($((s2 - s1)) ms, $((s3 - s2)) ms apart)"
else
  bad "start times (ms): '$starts'"
fi
echo "figures: budget ${budget_mib} MiB, all at once $(mib "${all_peak:-0}"), staged $(mib "${staged_peak:-0}")"
finish
