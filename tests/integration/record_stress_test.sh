#!/usr/bin/env bash
# `stackfit record --all --keep 20s` while containers are created and removed
# over and over on a private dockerd: each cycle starts one container (busybox
# sleep, labelled as service "churn" of project "sfstress") and removes the one
# started WINDOW cycles before, so every container lives a few intervals and
# gets sampled. Proves (docs/record-stress.md):
#   - RSS is flat: after a warm-up of a fifth of the cycles, the recorder's
#     VmRSS grows by less than 1 MiB to the end;
#   - the store is bounded by retention: no sample older than keep + one
#     prune period + slack at the end, and the file (db + wal) in the last
#     quarter no larger than 1.25 x its largest in the second quarter (plus
#     one WAL checkpoint's 4 MiB, which SQLite reuses but never truncates);
#   - the recording ends cleanly (SIGTERM): exit 0, integrity_check ok.
# STACKFIT_STRESS_CYCLES (default 200) sets the cycles; bench/record_churn_bench.sh
# runs 1,000. STACKFIT_STRESS_CURVE names a CSV to keep the curve in
# (cycle,elapsed_s,rss_kib,store_kib,samples,containers).
# usage: record_stress_test.sh <stackfit> <source-dir>     (as root)
set -uo pipefail
stackfit=$1
source "$2/tests/integration/record_common.sh" "$2" sfstress
cycles=${STACKFIT_STRESS_CYCLES:-200}
curve=${STACKFIT_STRESS_CURVE:-$work/curve.csv}
window=4
# The loop is bounded in time: 450 s in CI (ctest gives the script 600 s),
# 3 s a cycle for the bench. A loaded machine that runs out of time with at
# least half the cycles done still judges the curve it has (and says so).
deadline_s=${STACKFIT_STRESS_DEADLINE_S:-450}
((cycles > 200)) && deadline_s=$((120 + cycles * 3))
interval=200ms
keep_s=20

api() {  # api METHOD PATH [JSON]: the engine API on the daemon's own socket
  curl -sf --max-time 30 --unix-socket "$sock" -X "$1" -H 'Content-Type: application/json' \
    ${3:+--data "$3"} "http://localhost/v1.41$2"
}
create_body='{"Image":"stackfit-base:latest","Cmd":["sleep","600"],"StopSignal":"SIGKILL",
  "Labels":{"com.docker.compose.project":"sfstress","com.docker.compose.service":"churn"},
  "HostConfig":{"NetworkMode":"none","Memory":33554432}}'
start_one() {
  local id
  id=$(api POST /containers/create "$create_body" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["Id"])') \
    || return 1
  api POST "/containers/$id/start" >/dev/null || return 1
  echo "$id"
}
remove_one() { api DELETE "/containers/$1?force=1" >/dev/null; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null; }
store_kib() { du -ck "$db" "$db-wal" 2>/dev/null | awk 'END {print $1}'; }

db="$work/stress.db"
"$stackfit" record --all --host "unix://$sock" --interval "$interval" --keep "${keep_s}s" --db "$db" \
  --format json >"$work/out.json" 2>"$work/err.txt" &
background_pid=$!
sleep 1
kill -0 "$background_pid" 2>/dev/null || { bad "record did not start: $(cat "$work/err.txt")"; finish; }

echo "cycle,elapsed_s,rss_kib,store_kib,samples,containers" >"$curve"
ids=()
started_s=$SECONDS
for ((cycle = 1; cycle <= cycles; cycle++)); do
  if ((SECONDS - started_s > deadline_s)); then
    if ((cycle > cycles / 2)); then info "time is up after $((cycle - 1)) of $cycles cycles (${deadline_s}s)"
    else bad "only $((cycle - 1)) of $cycles cycles within ${deadline_s}s"; fi
    break
  fi
  id=$(start_one) || { bad "cycle $cycle: create/start failed"; break; }
  ids+=("$id")
  if ((${#ids[@]} > window)); then
    remove_one "${ids[0]}" || bad "cycle $cycle: remove failed"
    ids=("${ids[@]:1}")
  fi
  if ((cycle % 10 == 0)); then
    rows=$(sqlite3 "$db" 'SELECT (SELECT count(*) FROM samples), (SELECT count(*) FROM containers)' 2>/dev/null | tr '|' ,)
    echo "$cycle,$((SECONDS - started_s)),$(rss_kib "$background_pid"),$(store_kib),${rows:-,}" >>"$curve"
  fi
done
for id in "${ids[@]}"; do remove_one "$id"; done
info "$((cycle - 1)) cycles in $((SECONDS - started_s)) s"

kill -TERM "$background_pid"
wait "$background_pid"
code=$?
background_pid=""
[[ $code -eq 0 ]] && ok "record exits 0 after SIGTERM" || bad "record exit $code: $(head -3 "$work/err.txt")"
[[ ! -s $work/err.txt ]] && ok "nothing on stderr" || bad "stderr: $(head -3 "$work/err.txt")"
[[ $(sqlite3 "$db" 'PRAGMA integrity_check') == ok ]] && ok "integrity_check ok" || bad "integrity_check"

/usr/bin/python3 - "$curve" "$keep_s" <<'PY' >"$work/verdict" || true
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["rss_kib"]]
n = len(rows)
if n < 8:
    print(f"FAIL only {n} curve points"); sys.exit()
warm = rows[n // 5]
rss_growth = max(int(r["rss_kib"]) for r in rows[n // 5:]) - int(warm["rss_kib"])
print(("ok  " if rss_growth < 1024 else "FAIL") +
      f" RSS flat: {warm['rss_kib']} KiB at cycle {warm['cycle']}, +{rss_growth} KiB at most to cycle {rows[-1]['cycle']}")
q2 = max(int(r["store_kib"]) for r in rows[n // 4: n // 2])
q4 = max(int(r["store_kib"]) for r in rows[3 * n // 4:])
print(("ok  " if q4 <= q2 * 1.25 + 4096 else "FAIL") +
      f" store bounded: {q2} KiB at most in the second quarter, {q4} KiB in the last")
PY
while read -r verdict text; do
  [[ $verdict == ok ]] && ok "$text" || bad "$text"
done <"$work/verdict"
now_ns=$(date +%s%N)
old=$(sqlite3 "$db" "SELECT count(*) FROM samples WHERE time_ns < $now_ns - ($keep_s + 10) * 1000000000")
[[ $old == 0 ]] && ok "no sample older than keep + 10 s" || bad "$old samples older than keep + 10 s"
recorded=$(sqlite3 "$db" "SELECT count(*) FROM containers WHERE service = 'churn'")
info "containers still in the store: $recorded of $cycles (older ones pruned)"
finish
