#!/usr/bin/env bash
# `stackfit record` and `stackfit top` against a real dockerd of their own
# (tests/docker/dockerd_harness.sh) and a real Compose 1.29 project whose
# containers run the host's python3 under real limits:
#   steady  holds ~40 MiB in a 96 MiB container
#   hog     allocates past its 32 MiB limit and is OOM-killed for real
#   late    sleeps, then allocates 16 MiB twice, 2.3 s apart, writing down when
# Checks: services found through the Compose project label, samples written,
# the OOM kill attributed to the right service, the working set agreeing with
# the engine's own stats (docker stats' formula) within 1 MiB or 1%, a
# container waking from idle seen at the next reading (the parent cgroup's
# CPU-time check lets idle ones skip their reads: it must not hide it), `top`'s
# plain-line fallback, and a `kill -9` of record mid-run leaving a sound DB.
# usage: record_test.sh <stackfit> <source-dir>     (as root)
set -uo pipefail
stackfit=$1
source "$2/tests/integration/record_common.sh" "$2" sfrec

cat >"$work/compose.yml" <<YAML
version: "2.4"
services:
  steady:
    image: stackfit-base:latest
    network_mode: none
    mem_limit: 96m
    volumes: ["/usr:/usr:ro"]
    command: ["python3", "-c", "import time; b = bytearray(40 << 20); time.sleep(600)"]
  hog:
    image: stackfit-base:latest
    network_mode: none
    mem_limit: 32m
    memswap_limit: 32m
    volumes: ["/usr:/usr:ro", "$work:/out"]
    command: ["sh", "-c", "while [ ! -e /out/go ]; do sleep 0.2; done; python3 -c 'b = bytearray(200 << 20)'; sleep 600"]
  late:
    image: stackfit-base:latest
    network_mode: none
    mem_limit: 96m
    volumes: ["/usr:/usr:ro", "$work:/out"]
    command: ["sh", "-c", "sleep 4; python3 -c 'import time; w = lambda n: open(\"/out/late.\" + n, \"w\").write(str(time.time_ns())); a = bytearray(16 << 20); w(\"a\"); time.sleep(2.3); b = bytearray(16 << 20); w(\"b\"); time.sleep(600)'"]
YAML
compose up -d >"$work/up.log" 2>&1 || { bad "compose up: $(tail -1 "$work/up.log")"; finish; }
sleep 2

# ---- record: a short recording with the OOM kill inside it -----------------
db="$work/rec.db"
# The hog allocates once the recording has stored its first samples (it waits
# for $work/go): a loaded machine that is slow to start the project cannot
# put the kill before the recording.
"$stackfit" record -f "$work/compose.yml" -p sfrec --host "unix://$sock" --interval 500ms --duration 14s \
  --db "$db" --format json >"$work/out.json" 2>"$work/rec.err" &
recorder=$!
for _ in $(seq 100); do
  [[ $(sqlite3 "$db" 'SELECT count(*) FROM samples' 2>/dev/null) -gt 0 ]] && break
  sleep 0.1
done
touch "$work/go"
wait "$recorder"
code=$?
[[ $code -eq 0 ]] && ok "record exits 0" || bad "record exit $code: $(cat "$work/rec.err")"

[[ $(json "sorted(s)") == "['hog', 'late', 'steady']" ]] && ok "all three services recorded" || bad "services: $(json "sorted(s)")"
samples=$(json "s['steady']['samples']")
((samples >= 12)) && ok "steady has $samples samples" || bad "steady samples $samples (want >= 12)"
peak=$(json "s['steady']['memory']['peak_bytes']")
((peak >= 40 * 1048576 && peak <= 96 * 1048576)) && ok "steady peak $peak bytes within 40..96 MiB" \
  || bad "steady peak $peak"
[[ $(json "s['steady']['memory']['limit_bytes']") == $((96 * 1048576)) ]] && ok "steady limit 96 MiB" \
  || bad "steady limit $(json "s['steady']['memory']['limit_bytes']")"
ooms=$(json "s['hog']['oom_kills']")
((ooms >= 1)) && ok "hog OOM kill recorded ($ooms)" || bad "hog oom_kills $ooms"
[[ $(json "s['steady']['oom_kills']") == 0 ]] && ok "steady has no OOM kill" || bad "steady oom_kills"
# The kernel's counter itself (not only the engine's `oom` event) reached the
# store: the reader reads it after the event (CgroupReadSchedule).
counter=$(sqlite3 "$db" "SELECT max(s.oom_kills) - min(s.oom_kills) FROM samples s JOIN containers c ON c.key = s.container_key WHERE c.service = 'hog'")
((counter >= 1)) && ok "hog's cgroup oom_kill counter rose by $counter in the stored samples" \
  || bad "hog's stored oom_kill counter rose by '$counter'"
integrity=$(sqlite3 "$db" 'PRAGMA integrity_check')
[[ $integrity == ok ]] && ok "store integrity_check ok" || bad "integrity: $integrity"
# late was idle (a `sleep`, then python asleep) before each allocation, as
# steady was throughout: each allocation shows at the next 500 ms tick (1.5 s
# allowed, for a loaded machine), not at the next refresh (every 10th
# reading, 5 s) as a stale reading would. The first comes 1-2.5 s into the
# recording, so its refresh is 2.5 s or more away; the second, 2.3 s later,
# may fall just before a refresh by chance.
late_seen() {  # <file with the allocation's time> <working set at least, MiB>
  local at seen
  at=$(cat "$work/$1" 2>/dev/null)
  seen=$(sqlite3 "$db" "SELECT min(s.time_ns) FROM samples s JOIN containers c ON c.key = s.container_key WHERE c.service = 'late' AND s.working_set_bytes >= $2 * 1048576")
  if [[ -n $at && -n $seen ]] && ((seen - at <= 1500000000)); then
    ok "late's working set reached $2 MiB $(((seen - at) / 1000000)) ms after its allocation ($1)"
  else
    bad "late: allocation ($1) at '$at', first sample >= $2 MiB at '$seen'"
  fi
}
late_seen late.a 16
late_seen late.b 32

# ---- working set vs the engine's stats (docker stats: usage - total_inactive_file)
id=$(compose ps -q steady)
engine_ws=$(curl -s --unix-socket "$sock" "http://localhost/v1.41/containers/$id/stats?stream=false" |
  /usr/bin/python3 -c "import json,sys; m=json.load(sys.stdin)['memory_stats']; print(m['usage'] - m['stats'].get('total_inactive_file', m['stats'].get('inactive_file', 0)))")
ours=$("$stackfit" top -p sfrec --project sfrec --host "unix://$sock" --interval 200ms --duration 300ms </dev/null |
  sed -n 's/.*service=steady .*working_set_bytes=\([0-9]*\).*/\1/p' | tail -1)
diff=$((ours > engine_ws ? ours - engine_ws : engine_ws - ours))
if [[ -n $ours ]] && ((diff <= 1048576 || diff * 100 <= engine_ws)); then
  ok "top working set $ours vs engine stats $engine_ws (diff $diff bytes)"
else
  bad "top working set '$ours' vs engine stats $engine_ws"
fi

# ---- kill -9 mid-recording: every committed batch stays, the file stays sound
db2="$work/kill.db"
"$stackfit" record -p sfrec --project sfrec --host "unix://$sock" --interval 200ms --db "$db2" >/dev/null 2>&1 &
background_pid=$!
sleep 3
kill -9 "$background_pid"
wait "$background_pid" 2>/dev/null
background_pid=""
integrity=$(sqlite3 "$db2" 'PRAGMA integrity_check')
rows=$(sqlite3 "$db2" 'SELECT count(*) FROM samples')
[[ $integrity == ok ]] && ((rows > 0)) && ok "kill -9: integrity ok, $rows samples kept" \
  || bad "kill -9: integrity '$integrity', rows '$rows'"

# ---- faults: one line, exit 3
err=$("$stackfit" record --all --host "unix://$work/nothing.sock" --duration 1s --db "$work/x.db" 2>&1)
code=$?
[[ $code -eq 3 && $err == "stackfit: $work/nothing.sock: connect: No such file or directory" ]] \
  && ok "missing socket: exit 3, one line" || bad "missing socket: exit $code: $err"
finish
