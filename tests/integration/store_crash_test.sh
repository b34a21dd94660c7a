#!/usr/bin/env bash
# The sample store survives a kill -9 and a full disk (issue 3, "The store").
#
#  - kill -9: a real process (store_crash_writer, built beside this script in
#    the build tree) writes 200-row batches as fast as it can and prints
#    "committed N" after each commit. We kill -9 it after a few hundred
#    batches, five times. Then `sqlite3 DB 'PRAGMA integrity_check'` must say
#    ok, every batch must be whole (200 rows or none), and every reported
#    batch must be there. The kill can land between COMMIT and the print, so
#    the file may hold exactly one batch more than reported, never fewer.
#    The store must then reopen and take new batches.
#  - full disk: the writer runs on a 1 MiB tmpfs mounted under our temp
#    folder (20 containers, so some batches fit); it must stop with exit
#    code 3 and exactly one line, "<db>: cannot write: database or disk is
#    full", and the file must pass integrity_check holding exactly the
#    reported batches. The tmpfs is unmounted whatever happens.
#
# usage: bash store_crash_test.sh <stackfit binary> <source dir>
# STACKFIT_STORE_WRITER overrides the helper's path.
set -u

stackfit_bin=${1:?usage: store_crash_test.sh <stackfit binary> <source dir>}
writer=${STACKFIT_STORE_WRITER:-$(dirname "$stackfit_bin")/tests/integration/store_crash_writer}
rows_per_batch=200
passed=0
failed=0
writer_pid=""
mount_point=""
work=$(mktemp -d)

cleanup() {
  # Only what this script started or mounted, by PID and by path.
  if [ -n "$writer_pid" ]; then kill -9 "$writer_pid" 2>/dev/null; wait "$writer_pid" 2>/dev/null; fi
  if [ -n "$mount_point" ]; then umount "$mount_point" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM  # so cleanup runs (and the tmpfs is unmounted) on ctest's timeout too

pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

# Prints "<rows> <batches> <whole batches>" of the store at $1.
store_counts() {
  sqlite3 "$1" "SELECT (SELECT count(*) FROM samples), (SELECT count(DISTINCT time_ns) FROM samples),
    (SELECT count(*) FROM (SELECT time_ns FROM samples GROUP BY time_ns HAVING count(*) = $rows_per_batch))" |
    tr '|' ' '
}

# Waits (at most 60 s) until $1 has at least $2 "committed" lines.
wait_for_batches() {
  local deadline=$((SECONDS + 60))
  while [ "$(grep -c '^committed ' "$1" 2>/dev/null || true)" -lt "$2" ]; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    kill -0 "$writer_pid" 2>/dev/null || return 1
    sleep 0.02
  done
}

check_crash_round() {
  local round=$1 db="$work/crash$1.db" out="$work/crash$1.out"
  local target=$((200 + RANDOM % 300))
  "$writer" "$db" 1000000 "$rows_per_batch" >"$out" 2>"$work/crash$round.err" &
  writer_pid=$!
  if ! wait_for_batches "$out" "$target"; then
    fail "kill -9 round $round" "writer did not reach $target batches: $(cat "$work/crash$round.err")"
    return
  fi
  kill -9 "$writer_pid"
  wait "$writer_pid" 2>/dev/null
  writer_pid=""
  local reported integrity rows batches whole
  reported=$(grep -c '^committed ' "$out")
  integrity=$(sqlite3 "$db" 'PRAGMA integrity_check' 2>&1)
  read -r rows batches whole <<<"$(store_counts "$db")"
  echo "  round $round: killed after $reported reported batches; file holds $batches batches, $rows rows"
  if [ "$integrity" != "ok" ]; then fail "kill -9 round $round" "integrity_check said: $integrity"; return; fi
  if [ "$whole" != "$batches" ]; then fail "kill -9 round $round" "$((batches - whole)) partial batches"; return; fi
  if [ "$batches" -ne "$reported" ] && [ "$batches" -ne $((reported + 1)) ]; then
    fail "kill -9 round $round" "$reported batches reported committed, $batches in the file"
    return
  fi
  pass "kill -9 round $round ($reported batches reported, all present, integrity ok)"
}

check_reopen_after_crash() {
  local db="$work/crash1.db" before after
  read -r before _ _ <<<"$(store_counts "$db")"
  if ! "$writer" "$db" 3 "$rows_per_batch" >/dev/null 2>"$work/reopen.err"; then
    fail "reopen after kill -9" "$(cat "$work/reopen.err")"
    return
  fi
  read -r after _ _ <<<"$(store_counts "$db")"
  # The writer reuses batch times 1..3, replacing those rows: same count.
  if [ "$after" -ne "$before" ] || [ "$(sqlite3 "$db" 'PRAGMA integrity_check')" != "ok" ]; then
    fail "reopen after kill -9" "rows $before -> $after"
    return
  fi
  pass "reopen after kill -9 (store opens, writes, stays consistent)"
}

check_full_disk() {
  mount_point="$work/tiny"
  mkdir -p "$mount_point"
  if ! mount -t tmpfs -o size=1m,mode=0755 tmpfs "$mount_point"; then
    mount_point=""
    fail "full disk" "cannot mount a 1 MiB tmpfs (needs root and CAP_SYS_ADMIN)"
    return
  fi
  local db="$mount_point/full.db" status reported rows batches whole integrity
  # 20 containers, so a few dozen batches fit before the disk is full.
  rows_per_batch=20
  timeout 120 "$writer" "$db" 1000000 "$rows_per_batch" >"$work/full.out" 2>"$work/full.err"
  status=$?
  reported=$(grep -c '^committed ' "$work/full.out")
  integrity=$(sqlite3 "$db" 'PRAGMA integrity_check' 2>&1)
  read -r rows batches whole <<<"$(store_counts "$db")"
  echo "  full disk: exit $status after $reported batches; file holds $batches batches; stderr: $(cat "$work/full.err")"
  local expected_err="$db: cannot write: database or disk is full"
  if [ "$status" -ne 3 ]; then fail "full disk" "exit status $status, expected 3"
  elif [ "$(cat "$work/full.err")" != "$expected_err" ]; then fail "full disk" "stderr was: $(cat "$work/full.err")"
  elif [ "$integrity" != "ok" ]; then fail "full disk" "integrity_check said: $integrity"
  elif [ "$reported" -eq 0 ]; then fail "full disk" "the disk was full before the first batch"
  elif [ "$batches" -ne "$reported" ] || [ "$whole" -ne "$batches" ]; then
    fail "full disk" "$reported batches reported, $batches in the file ($whole whole)"
  else
    pass "full disk (one io line, exit 3, $reported batches kept, integrity ok)"
  fi
  umount "$mount_point" && mount_point=""
}

if [ ! -x "$writer" ]; then
  fail "setup" "helper $writer not built (tests/integration/CMakeLists.txt)"
else
  for round in 1 2 3 4 5; do check_crash_round "$round"; done
  check_reopen_after_crash
  check_full_disk
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
