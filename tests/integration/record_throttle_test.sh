#!/usr/bin/env bash
# CPU throttling recorded for real: a private dockerd (tests/docker/
# dockerd_harness.sh) runs a Compose project of two CPU-limited containers:
#   busy  a shell busy loop under `cpus: 0.1` (10 ms of CPU per 100 ms
#         period): the kernel throttles it in nearly every period
#   idle  sleeps under `cpus: 0.5`: never runnable, never throttled
# Checks: the store's cpu_periods / cpu_throttled_periods rise for busy and
# not for idle, record's summary (JSON) says the throttled share, `recommend
# --db` raises busy's CPU limit with its reason and leaves idle's alone, and
# `check --db` finds busy at its CPU limit for the sustained window.
# usage: record_throttle_test.sh <stackfit> <source-dir>     (as root)
set -uo pipefail
stackfit=$1
source "$2/tests/integration/record_common.sh" "$2" sfthr

cat >"$work/compose.yml" <<YAML
version: "2.4"
services:
  busy:
    image: stackfit-base:latest
    network_mode: none
    cpus: 0.1
    mem_limit: 32m
    command: ["sh", "-c", "while :; do :; done"]
  idle:
    image: stackfit-base:latest
    network_mode: none
    cpus: 0.5
    mem_limit: 32m
    command: ["sleep", "600"]
YAML
compose up -d >"$work/up.log" 2>&1 || { bad "compose up: $(tail -1 "$work/up.log")"; finish; }
sleep 1

db="$work/thr.db"
"$stackfit" record -f "$work/compose.yml" -p sfthr --host "unix://$sock" --interval 1s --duration 13s \
  --db "$db" --format json >"$work/out.json" 2>"$work/rec.err"
code=$?
[[ $code -eq 0 ]] && ok "record exits 0" || bad "record exit $code: $(cat "$work/rec.err")"

# The kernel's counters as stored: increases over the recording.
increase() {  # <service> <column>
  sqlite3 "$db" "SELECT max(s.$2) - min(s.$2) FROM samples s JOIN containers c ON c.key = s.container_key WHERE c.service = '$1'"
}
busy_periods=$(increase busy cpu_periods)
busy_throttled=$(increase busy cpu_throttled_periods)
idle_periods=$(increase idle cpu_periods)
idle_throttled=$(increase idle cpu_throttled_periods)
info "busy: $busy_throttled of $busy_periods periods throttled; idle: $idle_throttled of $idle_periods"
# 13 s at 100 ms periods: up to 130 (recommend needs 100 to move a limit).
((busy_periods >= 100)) && ok "busy's nr_periods rose by $busy_periods" || bad "busy's periods rose by '$busy_periods'"
((busy_throttled > 0 && busy_throttled * 2 > busy_periods)) \
  && ok "busy throttled in $busy_throttled of $busy_periods periods (more than half)" \
  || bad "busy throttled in '$busy_throttled' of '$busy_periods' periods"
[[ $idle_throttled == 0 ]] && ok "idle never throttled" || bad "idle throttled in '$idle_throttled' periods"
sqlite3 "$db" "SELECT count(*) FROM samples WHERE cpu_periods IS NULL" | grep -qx 0 \
  && ok "every row has cpu_periods" || bad "rows without cpu_periods"
[[ $(sqlite3 "$db" "PRAGMA user_version") == 3 ]] && ok "store schema version 3" || bad "schema $(sqlite3 "$db" "PRAGMA user_version")"

pct=$(json "s['busy']['cpu']['throttled_percent']")
python3 -c "import sys; sys.exit(0 if float('$pct') > 50 else 1)" 2>/dev/null \
  && ok "record's summary: busy throttled $pct %" || bad "busy throttled_percent '$pct'"
[[ $(json "s['busy']['cpu']['throttled_periods'] == $busy_throttled") == True ]] \
  && ok "summary's throttled periods = the store's increase" \
  || bad "summary throttled_periods $(json "s['busy']['cpu']['throttled_periods']") vs store $busy_throttled"
idle_pct=$(json "s['idle']['cpu']['throttled_percent']")
[[ $idle_pct == None || $idle_pct == 0.0 ]] && ok "idle's throttled share: $idle_pct" || bad "idle throttled_percent $idle_pct"

# recommend from the same store: busy's 0.1 limit raised, with its reason.
"$stackfit" recommend -f "$work/compose.yml" -p sfthr --db "$db" --points-required 5 --format json \
  >"$work/rec.json" 2>"$work/recommend.err"
code=$?
[[ $code -eq 0 ]] && ok "recommend exits 0" || bad "recommend exit $code: $(cat "$work/recommend.err")"
r() { /usr/bin/python3 -c "import json; d=json.load(open('$work/rec.json')); s={x['name']: x for x in d['services']}; print($1)"; }
[[ $(r "s['busy']['cpu']['throttling']['limit_change']") == raised ]] && ok "busy's CPU limit raised" \
  || bad "busy limit_change $(r "s['busy']['cpu']['throttling']")"
new_limit=$(r "s['busy']['cpu']['limit_millicores']")
[[ $new_limit =~ ^[0-9]+$ ]] && ((new_limit > 100)) && ok "busy's new CPU limit ${new_limit}m > 100m" || bad "busy limit_millicores '$new_limit'"
r "[x for x in s['busy']['reasons'] if x.startswith('CPU limit: throttled in ')]" | grep -q "raised from 0.1 to" \
  && ok "busy's reason says why" || bad "busy reasons: $(r "s['busy']['reasons']")"
[[ $(r "s['idle']['cpu']['limit_millicores']") == None ]] && ok "idle's CPU limit not changed" \
  || bad "idle limit $(r "s['idle']['cpu']")"
"$stackfit" recommend -f "$work/compose.yml" -p sfthr --db "$db" --cpu-throttle-target 20 >/dev/null 2>"$work/bad.err"
code=$?
[[ $code -eq 2 && $(cat "$work/bad.err") == "stackfit: --cpu-throttle-target: expected 1 to 10 (percent of CFS periods)" ]] \
  && ok "--cpu-throttle-target 20 refused (exit 2)" || bad "exit $code: $(cat "$work/bad.err")"

# check --db: busy ran at its whole limit for the recording (13 s >= 5 s).
# Readings 1 s apart span 10 CFS periods, so a rate is 100m +- one period's
# 10m, above 80m; at 250 ms (2 or 3 periods) it would swing 80m..120m.
"$stackfit" check --db "$db" --sustained 5s --format json >"$work/check.json" 2>"$work/check.err"
code=$?
[[ $code -eq 0 ]] && ok "check --db exits 0 (warnings pass by default)" || bad "check exit $code: $(cat "$work/check.err")"
c() { /usr/bin/python3 -c "import json; d=json.load(open('$work/check.json')); f=d['findings']; print($1)"; }
[[ $(c "[(x['rule'], x['service']) for x in f]") == "[('cpu-near-limit', 'busy')]" ]] \
  && ok "check --db: cpu-near-limit for busy only" || bad "findings: $(c f)"
[[ $(c "d['usage_db']") == "$db" ]] && ok "check JSON names the store" || bad "usage_db $(c "d['usage_db']")"
"$stackfit" check --db "$db" --sustained 5s --fail-on warning >"$work/check.txt" 2>&1
code=$?
[[ $code -eq 1 ]] && grep -q "cpu-near-limit" "$work/check.txt" && ok "--fail-on warning: exit 1" \
  || bad "fail-on warning exit $code: $(cat "$work/check.txt")"
"$stackfit" check --db "$db" --sustained 20s --format json >"$work/check20.json" 2>&1
[[ $(/usr/bin/python3 -c "import json; print(len(json.load(open('$work/check20.json'))['findings']))") == 0 ]] \
  && ok "a 20 s window is longer than the 13 s recording: no finding" || bad "$(cat "$work/check20.json")"
"$stackfit" check --db "$db" --sustained 0s >/dev/null 2>"$work/sus.err"
code=$?
[[ $code -eq 2 && $(cat "$work/sus.err") == "stackfit: --sustained: must be above 0" ]] \
  && ok "--sustained 0s refused (exit 2)" || bad "exit $code: $(cat "$work/sus.err")"
"$stackfit" check --db "$work/none.db" >/dev/null 2>"$work/nodb.err"
code=$?
[[ $code -eq 2 && $(cat "$work/nodb.err") == "stackfit: $work/none.db: no sample store (record history first with \`stackfit record\`)" ]] \
  && ok "check --db of a missing store: exit 2, one line" || bad "exit $code: $(cat "$work/nodb.err")"
finish
