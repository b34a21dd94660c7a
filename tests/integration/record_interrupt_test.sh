#!/usr/bin/env bash
# `stackfit record` interrupted three ways on a private dockerd, each leaving a
# store that passes PRAGMA integrity_check, at most one interval lost, and one
# line on stderr saying what happened (docs/record-stress.md):
#   1. SIGTERM and SIGINT at random moments (3 of each; 8 containers sampled
#      every 100 ms, so a signal often lands while a batch is written): exit 0,
#      the summary on stdout, nothing on stderr;
#   2. the store's file system fills up (a 512 KiB tmpfs): exit 3 with
#      "<db>: cannot write: database or disk is full", the batches before
#      the failing one all kept;
#   3. dockerd killed with SIGKILL (the pid its harness started) and started
#      again: the recording goes on from the cgroups, says "engine lost" and
#      "is back" on one line each, and samples the container restarted after.
# "At most one interval lost" is counted, not timed: with samples every
# INTERVAL from the first to the moment of the fault, at most one tick is
# missing (the recorder catches up on late ticks rather than skipping them).
# usage: record_interrupt_test.sh <stackfit> <source-dir>     (as root)
set -uo pipefail
stackfit=$1
source "$2/tests/integration/record_common.sh" "$2" sfint

{
  echo 'version: "2.4"'
  echo 'services:'
  for i in 1 2 3 4 5 6 7 8; do
    printf '  s%d:\n    image: stackfit-base:latest\n    network_mode: none\n    mem_limit: 32m\n' "$i"
    printf '    stop_signal: SIGKILL\n    command: ["sleep", "600"]\n'
  done
} >"$work/compose.yml"
compose up -d >/dev/null 2>&1 || { bad "compose up"; finish; }

# lost DB INTERVAL_MS UNTIL_NS [SERVICE]: the most ticks missing for one
# container between its first sample and UNTIL_NS (the fault): the ticks due
# in that span (whole intervals) less the samples stored; a tick taken late
# and the catch-up after it can make that negative, counted as 0. "none" when
# there are no samples.
lost() {
  sqlite3 "$1" "SELECT coalesce(max(lost), 'none') FROM (
    SELECT max(0, ($3 - min(s.time_ns)) / ($2 * 1000000) + 1 - count(*)) AS lost
    FROM samples s JOIN containers c ON c.key = s.container_key
    WHERE s.time_ns <= $3 ${4:+AND c.service = '$4'} GROUP BY s.container_key)"
}
# at_most_one N: N is a number from 0 to 1.
at_most_one() { [[ $1 =~ ^[0-9]+$ ]] && (($1 <= 1)); }
integrity() { [[ $(sqlite3 "$1" 'PRAGMA integrity_check' 2>&1) == ok ]]; }

# ---- 1. SIGTERM / SIGINT at random moments ---------------------------------------
for run in 1 2 3 4 5 6; do
  signal=TERM
  ((run % 2 == 0)) && signal=INT
  db="$work/sig$run.db"
  "$stackfit" record --project sfint --host "unix://$sock" --interval 100ms --duration 60s --db "$db" \
    --format json >"$work/out.json" 2>"$work/err.txt" &
  background_pid=$!
  sleep "1.$((RANDOM % 1000))"
  sent_ns=$(date +%s%N)
  kill -"$signal" "$background_pid"
  wait "$background_pid"
  code=$?
  background_pid=""
  n=$(json "sum(x['samples'] for x in d['services'])" 2>/dev/null)
  missing=$(lost "$db" 100 "$sent_ns")
  if [[ $code -eq 0 && ! -s $work/err.txt && -n $n ]] && integrity "$db" && at_most_one "$missing"; then
    ok "SIG$signal #$run: exit 0, $n samples in the summary, integrity ok, $missing interval(s) lost"
  else
    bad "SIG$signal #$run: exit $code, stderr '$(head -c 200 "$work/err.txt")', summary '$n', lost '$missing'"
  fi
done

# ---- 2. the disk fills up -----------------------------------------------------------
mkdir "$work/small"
mount -t tmpfs -o size=512k tmpfs "$work/small" || { bad "mount tmpfs"; finish; }
db="$work/small/full.db"
timeout 120 "$stackfit" record --project sfint --host "unix://$sock" --interval 100ms --duration 90s --db "$db" \
  >"$work/out.txt" 2>"$work/err.txt"
code=$?
ended_ns=$(date +%s%N)
mkdir "$work/copy"
cp "$db" "$db-wal" "$work/copy/" 2>/dev/null
umount "$work/small"
copy="$work/copy/full.db"
want="stackfit: $db: cannot write: database or disk is full"
[[ $code -eq 3 && $(cat "$work/err.txt") == "$want" && ! -s $work/out.txt ]] \
  && ok "disk full: exit 3, one line: $want" \
  || bad "disk full: exit $code, stderr '$(head -c 300 "$work/err.txt")'"
integrity "$copy" && ok "disk full: integrity_check ok" || bad "disk full: integrity $(sqlite3 "$copy" 'PRAGMA integrity_check' 2>&1 | head -2)"
missing=$(lost "$copy" 100 "$((ended_ns - 300000000))")
n=$(sqlite3 "$copy" 'SELECT count(*) FROM samples')
((n > 0)) && at_most_one "$missing" && ok "disk full: $n samples kept, $missing interval(s) lost before the failure" \
  || bad "disk full: $n samples, lost '$missing'"

# ---- 3. dockerd killed with SIGKILL and restarted -------------------------------------
db="$work/kill.db"
"$stackfit" record --project sfint --host "unix://$sock" --interval 250ms --duration 120s --db "$db" \
  --format json >"$work/out.json" 2>"$work/err.txt" &
background_pid=$!
sleep 3
daemon=$(harness_pid "$state") || bad "no dockerd pid"
killed_ns=$(date +%s%N)
kill -KILL "$daemon"
harness_wait_gone "$daemon" 10 || bad "dockerd $daemon still there"
sleep 3
# The cgroups outlive the daemon (its shims keep the containers): readings go on.
still_ns=$(date +%s%N)
harness_start "$state" || bad "dockerd restart"
compose up -d s1 >/dev/null 2>&1 || bad "compose up s1 after the restart"
restarted_ns=$(date +%s%N)
sleep 3
kill -TERM "$background_pid"
wait "$background_pid"
code=$?
background_pid=""
[[ $code -eq 0 ]] && ok "engine killed: record exits 0" || bad "engine killed: exit $code: $(head -3 "$work/err.txt")"
lines=$(wc -l <"$work/err.txt")
if [[ $lines -eq 2 && $(sed -n 1p "$work/err.txt") == "stackfit: "*"engine lost"* &&
  $(sed -n 2p "$work/err.txt") == "stackfit: engine at $sock is back; looking for containers again" ]]; then
  ok "engine killed: one line lost, one line back"
else
  bad "engine killed: stderr ($lines lines): $(head -c 600 "$work/err.txt")"
fi
integrity "$db" && ok "engine killed: integrity_check ok" || bad "engine killed: integrity"
missing=$(lost "$db" 250 "$still_ns" s1)
at_most_one "$missing" && ok "engine killed: $missing interval(s) of s1 lost while the daemon was down" \
  || bad "engine killed: s1 lost '$missing' intervals up to $(((still_ns - killed_ns) / 1000000)) ms after the kill"
after=$(sqlite3 "$db" "SELECT count(*) FROM samples s JOIN containers c ON c.key = s.container_key
  WHERE c.service = 's1' AND s.time_ns > $restarted_ns")
((after >= 4)) && ok "engine killed: $after samples of s1 after the restart" || bad "after restart: $after"
finish
