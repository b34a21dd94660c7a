#!/usr/bin/env bash
# How stackfit writes files, proven with the real binary (docs/promises.md):
#   - a written file (plan --startup --write; apply and plan --option share
#     util/file_io's writer) is new with mode 0644 less the umask;
#   - never over a file without --force, nor over a symlink (dangling or not);
#     with --force a symlink is replaced itself, its target left untouched;
#   - atomically: on a full file system (a tmpfs of 64 KiB) the write fails
#     with one line, the file is absent (or, with --force, as it was) and no
#     temporary is left behind;
#   - --force keeps the mode of the file it replaces (a 0600 file stays 0600
#     under umask 022): plan --option/--startup --write, apply, report;
#   - the store: a new one is 0600 (its -wal too); a symlink as --db is
#     refused with one line and its target never created;
#   - record --listen binds loopback unless told otherwise: the listening
#     socket of the process itself (its fd's inode in /proc/net/tcp{,6}) is
#     127.0.0.1 for a bare port, ::1 for [::1]:PORT, and 0.0.0.0 only when
#     0.0.0.0:PORT is asked for.
# usage: write_safety_test.sh <stackfit> <source-dir>     (as root: mount, cgroups)
set -uo pipefail
stackfit=$1
source "$2/tests/testing/checks.sh"  # ok, bad, finish
work=$(mktemp -d /tmp/sfwrite.XXXXXX)
chmod 0755 "$work"
cgroup=sf-write-$$
background_pid=""
cleanup() {
  [[ -n $background_pid ]] && kill "$background_pid" 2>/dev/null && wait "$background_pid" 2>/dev/null
  mountpoint -q "$work/full" && umount "$work/full"
  for c in memory cpu cpuacct; do rmdir "/sys/fs/cgroup/$c/$cgroup" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cat >"$work/compose.yml" <<'YAML'
services:
  web: {image: nginx, mem_limit: 256m}
  db: {image: postgres, mem_limit: 512m}
YAML
# write OUT [stackfit flags...]: plan --startup --write OUT; exit in $code, stderr in $work/err.
write() {
  local out=$1
  shift
  timeout 30 "$stackfit" plan -f "$work/compose.yml" --startup --budget 1Gi --write "$out" "$@" >/dev/null 2>"$work/err"
  code=$?
}
mode_of() { stat -c %a "$1"; }
one_line() { [[ $(wc -l <"$work/err") -eq 1 && $(cat "$work/err") == "$1" ]]; }

# ---- modes of new files ------------------------------------------------------
(umask 022 && write "$work/public.yml") && [[ $(mode_of "$work/public.yml") == 644 ]] \
  && ok "umask 022: written file is 0644" || bad "umask 022: mode $(mode_of "$work/public.yml")"
(umask 077 && write "$work/private.yml") && [[ $(mode_of "$work/private.yml") == 600 ]] \
  && ok "umask 077: written file is 0600" || bad "umask 077: mode $(mode_of "$work/private.yml")"

# ---- never over a file, never through a symlink ------------------------------
echo "mine" >"$work/mine.yml"
write "$work/mine.yml"
[[ $code -eq 2 ]] && one_line "stackfit: $work/mine.yml: already exists; not overwritten (use --force to replace it)" \
  && [[ $(cat "$work/mine.yml") == mine ]] && ok "existing file: exit 2, one line, left as it was" \
  || bad "existing file: exit $code, $(cat "$work/err"), content $(head -c 40 "$work/mine.yml")"
echo "target" >"$work/target.yml"
ln -s "$work/target.yml" "$work/link.yml"
write "$work/link.yml"
[[ $code -eq 2 && $(cat "$work/target.yml") == target && -L $work/link.yml ]] \
  && ok "symlink without --force: refused, target untouched" || bad "symlink: exit $code, $(cat "$work/err")"
write "$work/link.yml" --force
if [[ $code -eq 0 && ! -L $work/link.yml && -f $work/link.yml && $(cat "$work/target.yml") == target ]] \
  && grep -q "stackfit" "$work/link.yml"; then
  ok "symlink with --force: the link is replaced, its target untouched"
else
  bad "symlink --force: exit $code, link $(ls -l "$work/link.yml"), target $(cat "$work/target.yml")"
fi
ln -s "$work/nowhere.yml" "$work/dangling.yml"
write "$work/dangling.yml"
[[ $code -eq 2 && ! -e $work/nowhere.yml ]] && ok "dangling symlink: refused, its target not created" \
  || bad "dangling symlink: exit $code, $(cat "$work/err")"

# ---- atomic on a full file system ----------------------------------------------
mkdir "$work/full"
mount -t tmpfs -o size=64k tmpfs "$work/full" || { bad "mount tmpfs"; finish; }
echo "before" >"$work/full/keep.yml"
head -c 1M /dev/zero >"$work/full/filler" 2>/dev/null  # fills it up (ENOSPC expected)
write "$work/full/new.yml"
leftovers=$(find "$work/full" -name '*.tmp.*' | wc -l)
[[ $code -ne 0 && ! -e $work/full/new.yml && $leftovers -eq 0 ]] \
  && one_line "stackfit: $work/full/new.yml: write: No space left on device" \
  && ok "full disk, new file: one line, no file, no temporary" \
  || bad "full disk new: exit $code, $(cat "$work/err"), new exists: $([[ -e $work/full/new.yml ]] && echo yes), tmp $leftovers"
write "$work/full/keep.yml" --force
leftovers=$(find "$work/full" -name '*.tmp.*' | wc -l)
[[ $code -ne 0 && $(cat "$work/full/keep.yml") == before && $leftovers -eq 0 ]] \
  && one_line "stackfit: $work/full/keep.yml: write: No space left on device" \
  && ok "full disk, --force: one line, the old file intact, no temporary" \
  || bad "full disk --force: exit $code, $(cat "$work/err"), content $(head -c 40 "$work/full/keep.yml"), tmp $leftovers"
umount "$work/full"

# ---- the store -------------------------------------------------------------------
for c in memory cpu cpuacct; do mkdir -p "/sys/fs/cgroup/$c/$cgroup"; done
(umask 022 && timeout 30 "$stackfit" record --cgroup "/$cgroup" --interval 200ms --duration 1s --db "$work/s.db" \
  >/dev/null 2>"$work/err") || bad "record: $(cat "$work/err")"
[[ $(mode_of "$work/s.db") == 600 ]] && ok "new store is 0600 (umask 022)" || bad "store mode $(mode_of "$work/s.db")"
sqlite3 "$work/s.db" 'SELECT count(*) FROM samples' >/dev/null
"$stackfit" record --cgroup "/$cgroup" --interval 200ms --duration 2s --db "$work/s.db" >/dev/null 2>&1 &
background_pid=$!
sleep 1
[[ -e $work/s.db-wal && $(mode_of "$work/s.db-wal") == 600 ]] && ok "its -wal is 0600 while recording" \
  || bad "wal mode: $(ls -l "$work"/s.db* 2>&1)"
wait "$background_pid"
background_pid=""
ln -s "$work/elsewhere.db" "$work/link.db"
timeout 30 "$stackfit" record --cgroup "/$cgroup" --interval 200ms --duration 1s --db "$work/link.db" >/dev/null 2>"$work/err"
code=$?
[[ $code -eq 3 && ! -e $work/elsewhere.db ]] \
  && one_line "stackfit: $work/link.db: cannot open: is a symbolic link (name the store's own path)" \
  && ok "symlink as --db: exit 3, one line, target not created" || bad "symlink --db: exit $code, $(cat "$work/err")"

# ---- --force keeps the mode of the file it replaces -----------------------------
# Every command that writes with --force (plan --option, plan --startup, apply,
# report), under umask 022, over a 0600 file: exit as documented, nothing on
# stderr, the file replaced (its new first line) and still 0600, not 0644.
cat >"$work/opt.yml" <<'YAML'
services:
  web: {image: nginx, mem_limit: 512m}
  adminer: {image: adminer, mem_limit: 4g}
YAML
cat >"$work/rec.json" <<'JSON'
{"schema": "stackfit.recommend/1", "strategy": "peak", "profile": "prod", "services": [
  {"name": "web", "kind": "service", "namespace": "", "container": "", "status": "ok", "confidence": 0.9,
   "memory": {"request_bytes": 201326592, "limit_bytes": 268435456}, "cpu": null, "runtime": []}]}
JSON
python3 - "$work/s.db" "$2" <<'PY' || bad "adding report history to s.db"
import sqlite3, sys
sys.path.insert(0, sys.argv[2] + "/tests/testing")
import store_rows
db = sqlite3.connect(sys.argv[1])
store_rows.samples(db, store_rows.container(db, "wsafe", "web0", "web", 512 * store_rows.MiB), 30,
                   lambda i: 200 * store_rows.MiB)
db.commit()
PY
# forced NAME EXIT FIRST_LINE FILE ARGS...: FILE is "old" with mode 0600 before.
forced() {
  local name=$1 want_code=$2 want_first=$3 file=$4
  shift 4
  echo old >"$file" && chmod 0600 "$file"
  (umask 022 && timeout 30 "$stackfit" "$@" >/dev/null 2>"$work/err")
  code=$?
  if [[ $code -eq $want_code && ! -s $work/err && $(mode_of "$file") == 600 && $(head -1 "$file") == "$want_first" ]]; then
    ok "--force over a 0600 file ($name): replaced, still 0600"
  else
    bad "--force 0600 ($name): exit $code, mode $(mode_of "$file"), stderr $(wc -l <"$work/err") lines $(head -1 "$work/err"), first line $(head -1 "$file")"
  fi
}
forced "plan --option B --write" 1 \
  "# Written by \`stackfit plan --option B\` for budget 1 GiB: switch off optional services / fewer replicas." \
  "$work/option.yml" plan -f "$work/opt.yml" --budget 1g --option B --write "$work/option.yml" --force
forced "plan --startup --write" 0 "# Staged start-up written by \`stackfit plan --startup\` (docs/startup.md)." \
  "$work/startup.yml" plan -f "$work/opt.yml" --startup --budget 8g --write "$work/startup.yml" --force
forced "apply --output" 0 "# Written by \`stackfit apply --from $work/rec.json\`; load it after the stack's own files." \
  "$work/override.yml" apply -f "$work/opt.yml" --from "$work/rec.json" --output "$work/override.yml" --force
forced "report --output" 0 "<!DOCTYPE html>" \
  "$work/report.html" report -f "$work/opt.yml" -p wsafe --db "$work/s.db" --output "$work/report.html" --force

# ---- record --listen: the bound address -----------------------------------------
# listen_address PID PORT: "ADDR" of the listening socket that PID owns on PORT,
# from /proc/net/tcp{,6} matched by the inode of one of PID's fds.
listen_address() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import os, socket, struct, sys
pid, port = sys.argv[1], int(sys.argv[2])
inodes = set()
for fd in os.listdir(f"/proc/{pid}/fd"):
    try:
        t = os.readlink(f"/proc/{pid}/fd/{fd}")
    except OSError:
        continue
    if t.startswith("socket:["):
        inodes.add(t[8:-1])
for name, family in (("tcp", socket.AF_INET), ("tcp6", socket.AF_INET6)):
    for line in open(f"/proc/net/{name}").readlines()[1:]:
        f = line.split()
        addr, p = f[1].split(":")
        if f[3] != "0A" or int(p, 16) != port or f[9] not in inodes:
            continue
        raw = bytes.fromhex(addr)
        raw = b"".join(struct.pack("<I", w) for w in struct.unpack(">" + "I" * (len(raw) // 4), raw))
        print(socket.inet_ntop(family, raw))
PY
}
source "$2/tests/testing/loopback.sh"
# bound_to LISTEN WANT: record --listen LISTEN; its listening socket is WANT.
bound_to() {
  local listen=$1 want=$2 port=$3 got=""
  # No timeout(1) in front: the pid must be stackfit's own (--duration bounds it).
  "$stackfit" record --cgroup "/$cgroup" --interval 200ms --duration 10s --db "$work/l.db" \
    --listen "$listen" >/dev/null 2>"$work/err" &
  background_pid=$!
  for _ in $(seq 50); do
    got=$(listen_address "$background_pid" "$port" 2>/dev/null)
    [[ -n $got ]] && break
    sleep 0.1
  done
  kill -INT "$background_pid" 2>/dev/null
  wait "$background_pid"
  background_pid=""
  [[ $got == "$want" ]] && ok "--listen $listen binds $want only" || bad "--listen $listen: bound '$got' ($(cat "$work/err"))"
}
port=$(free_port)
bound_to "$port" 127.0.0.1 "$port"
port=$(free_port)
bound_to "[::1]:$port" ::1 "$port"
port=$(free_port)
bound_to "0.0.0.0:$port" 0.0.0.0 "$port"
finish
