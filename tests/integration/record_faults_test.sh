#!/usr/bin/env bash
# Faults of `stackfit record` through the real binary, each answered with one
# line on stderr, the documented exit code (docs/exit-codes.md), nothing on
# stdout and no store file created or changed:
#   - a unix socket whose peer is not an engine (a python3 server sending bytes
#     that are not HTTP)                                                -> 3
#   - an engine whose API version is too old: a python3 stand-in answering
#     /version with ApiVersion 1.24. A stand-in because Debian ships only a
#     current dockerd (API 1.41+); what matters is the client's reaction to
#     the version number, which is all the stand-in provides.          -> 3
#   - a socket the user may not open (0600 root's, stackfit run as nobody) -> 3
#   - --db in a folder the user may not write (run as nobody)           -> 3
#   - --db naming an SQLite file of another program, and a text file      -> 2
#     (both left byte for byte as they were)
# The engine_client unit tests cover the same answers at the client level;
# this test proves the binary turns them into one line and the exit code.
# usage: record_faults_test.sh <stackfit> <source-dir>     (as root)
set -uo pipefail
stackfit=$1
source "$2/tests/testing/checks.sh"  # ok, bad, finish
work=$(mktemp -d /tmp/sfflt.XXXXXX)
chmod 0755 "$work"
server_pids=()
cleanup() {
  local pid
  for pid in "${server_pids[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A stand-in peer on a unix socket: mode garbage | old.
cat >"$work/peer.py" <<'PY'
import os, socket, sys
path, mode = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(8)
body = b'{"Version":"1.12.6","ApiVersion":"1.24","MinAPIVersion":"1.12","Os":"linux"}'
while True:
    c, _ = s.accept()
    try:
        c.settimeout(2)
        c.recv(65536)
        if mode == "garbage":
            c.sendall(b"\x00\x01\x02 220 welcome to a mail server\r\n\xff\xfe")
        else:
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nApi-Version: 1.24\r\n"
                      b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    except OSError:
        pass
    c.close()
PY
start_peer() {  # start_peer SOCKET MODE
  /usr/bin/python3 "$work/peer.py" "$1" "$2" &
  server_pids+=($!)
  for _ in $(seq 50); do [[ -S $1 ]] && return 0; sleep 0.1; done
  return 1
}

# expect NAME CODE STDERR [as-nobody] -- stackfit args...
expect() {
  local name=$1 code=$2 want=$3 runner=()
  shift 3
  [[ $1 == as-nobody ]] && runner=(setpriv --reuid=65534 --regid=65534 --clear-groups) && shift
  shift
  timeout 30 "${runner[@]}" "$stackfit" "$@" >"$work/out" 2>"$work/err"
  local got=$?
  local err
  err=$(cat "$work/err")
  if [[ $got -eq $code && $err == "$want" && ! -s $work/out ]]; then
    ok "$name: exit $code, one line"
  else
    bad "$name: exit $got (want $code), stderr '$err' (want '$want'), stdout $(wc -c <"$work/out") bytes"
  fi
}
no_file() { [[ ! -e $2 ]] && ok "$1: no store file created" || bad "$1: $2 was created"; }

start_peer "$work/garbage.sock" garbage || bad "garbage peer did not start"
expect "not an engine" 3 "stackfit: $work/garbage.sock: not a Docker Engine API (no HTTP answer)" -- \
  record --all --host "unix://$work/garbage.sock" --duration 1s --db "$work/g.db"
no_file "not an engine" "$work/g.db"

start_peer "$work/old.sock" old || bad "old peer did not start"
expect "API too old" 3 "stackfit: $work/old.sock: API version 1.24 too old (need 1.40)" -- \
  record --all --host "unix://$work/old.sock" --duration 1s --db "$work/o.db"
no_file "API too old" "$work/o.db"

start_peer "$work/private.sock" old || bad "private peer did not start"
chmod 0600 "$work/private.sock"
expect "socket permission" 3 "stackfit: $work/private.sock: connect: Permission denied" as-nobody -- \
  record --all --host "unix://$work/private.sock" --duration 1s --db "$work/p.db"
no_file "socket permission" "$work/p.db"

mkdir "$work/ro"
chmod 0755 "$work/ro"
expect "unwritable --db folder" 3 "stackfit: $work/ro/x.db: cannot open: Permission denied" as-nobody -- \
  record --cgroup sf-fault-none --duration 1s --db "$work/ro/x.db"
no_file "unwritable --db folder" "$work/ro/x.db"

sqlite3 "$work/notes.db" "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me');"
before=$(sha256sum <"$work/notes.db")
expect "foreign SQLite file" 2 "stackfit: $work/notes.db: not a stackfit store (application_id 0x00000000)" -- \
  record --cgroup sf-fault-none --duration 1s --db "$work/notes.db"
[[ $(sha256sum <"$work/notes.db") == "$before" && ! -e $work/notes.db-wal && $(sqlite3 "$work/notes.db" 'SELECT body FROM notes') == "keep me" ]] \
  && ok "foreign SQLite file left as it was" || bad "foreign SQLite file changed"

printf 'services:\n  web:\n    image: nginx\n' >"$work/compose.yml"
before=$(sha256sum <"$work/compose.yml")
expect "text file as --db" 2 "stackfit: $work/compose.yml: not a stackfit store (file is not a database)" -- \
  record --cgroup sf-fault-none --duration 1s --db "$work/compose.yml"
[[ $(sha256sum <"$work/compose.yml") == "$before" ]] && ok "text file left as it was" || bad "text file changed"

echo "$passed passed, $failures failed"
((failures == 0))
