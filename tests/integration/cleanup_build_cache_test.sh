#!/usr/bin/env bash
# `stackfit cleanup` and the build cache, against a real dockerd of its own
# (tests/docker/dockerd_harness.sh): an image built with BuildKit from a local
# context (FROM scratch and a COPY: nothing pulled) leaves build-cache records;
#   - the dry run lists exactly the records the engine says are not in use
#     (its own GET /system/df, read here apart from stackfit), with their
#     sizes, and changes nothing;
#   - --force sends exactly one POST /v1.41/build/prune?all=true (and no
#     DELETE: the built image is tagged, so it is spared), after which the
#     engine has no build cache left, and reports what the engine reclaimed;
#   - a second dry run lists nothing.
# usage: cleanup_build_cache_test.sh <stackfit> <source-dir>     (as root)
set -uo pipefail
stackfit=$1
source "$2/tests/integration/record_common.sh" "$2" sfbc
source "$2/tests/integration/engine_proxy.sh"
trap 'stop_proxy; cleanup' EXIT
j() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
# build_cache EXPR: EXPR over the engine's BuildCache records (list b), from
# GET /v1.41/system/df on the real socket, HTTP/1.0 so the body is plain.
build_cache() {
  /usr/bin/python3 - "$sock" "$1" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(60)
s.connect(sys.argv[1])
s.sendall(b"GET /v1.41/system/df HTTP/1.0\r\nHost: docker\r\n\r\n")
data = b""
while chunk := s.recv(65536):
    data += chunk
b = json.loads(data.split(b"\r\n\r\n", 1)[1])["BuildCache"] or []
print(eval(sys.argv[2]))
PY
}

mkdir -p "$work/ctx"
head -c 1048576 /dev/urandom >"$work/ctx/blob"
printf 'FROM scratch\nCOPY blob /blob\n' >"$work/ctx/Dockerfile"
DOCKER_BUILDKIT=1 harness_docker "$state" build -q -t sfbc-built:1 "$work/ctx" >"$work/build.log" 2>&1 \
  && ok "built sfbc-built:1 with BuildKit (FROM scratch, COPY of 1 MiB)" || { bad "docker build: $(tail -1 "$work/build.log")"; finish; }
records=$(build_cache "len(b)")
[[ $records -gt 0 ]] && ok "the engine keeps $records build-cache records" || { bad "no build cache after the build"; finish; }

start_proxy "$work/dry.log" || { bad "proxy start"; finish; }
via="unix://$state/p.sock"
"$stackfit" cleanup --host "$via" --format json >"$work/c.json" 2>"$work/c.err"
code=$?
got=$(j "$work/c.json" "sorted((i['id'], i['name'], i['bytes']) for i in d['items'] if i['kind'] == 'build-cache')")
want=$(build_cache "sorted((r['ID'], r['Type'], 0 if r['Shared'] else r['Size']) for r in b if not r['InUse'])")
[[ $code -eq 0 && $got == "$want" && $got != "[]" ]] \
  && ok "dry run lists exactly the engine's build-cache records not in use, with their sizes" \
  || bad "dry run: exit $code: $got (want $want) $(cat "$work/c.err")"
[[ $(j "$work/c.json" "sorted({i['kind'] for i in d['items']})") == "['build-cache']" ]] \
  && ok "and nothing else (the built image is tagged)" || bad "other items: $(cat "$work/c.json")"
cache_bytes=$(j "$work/c.json" "sum(i['bytes'] for i in d['items'] if i['kind'] == 'build-cache')")
(( cache_bytes >= 1048576 )) && ok "the build cache holds the 1 MiB blob: $cache_bytes bytes reclaimable" \
  || bad "build-cache bytes $cache_bytes"
[[ $(build_cache "len(b)") -eq $records && $(grep -cv '^GET ' "$work/dry.log") -eq 0 ]] \
  && ok "the dry run changed nothing and sent GET only" || bad "dry run: $(grep -v '^GET ' "$work/dry.log")"

start_proxy "$work/force.log" || { bad "proxy start"; finish; }
"$stackfit" cleanup --host "$via" --force --format json >"$work/f.json" 2>"$work/f.err"
code=$?
got=$(grep -v '^GET ' "$work/force.log")
[[ $code -eq 0 && $got == "POST /v1.41/build/prune?all=true" ]] \
  && ok "--force: exactly one POST /v1.41/build/prune?all=true, nothing else but GET" \
  || bad "--force requests: exit $code: $got $(cat "$work/f.err")"
left=$(build_cache "len([r for r in b if not r['InUse']])")
[[ $left -eq 0 ]] && ok "the engine has no unused build cache left" || bad "$left records left"
got=$(j "$work/f.json" "(d['dry_run'], all(i['removed'] for i in d['items']), d['reclaimed_bytes'] >= 1048576)")
[[ $got == "(False, True, True)" ]] && ok "--force JSON: removed, at least the 1 MiB reclaimed ($(j "$work/f.json" "d['reclaimed_bytes']") bytes)" \
  || bad "--force JSON: $(cat "$work/f.json")"
harness_docker "$state" image inspect sfbc-built:1 >/dev/null 2>&1 && ok "the built image is spared" || bad "sfbc-built:1 gone"
"$stackfit" cleanup --host "unix://$sock" --format json >"$work/c2.json" 2>&1
[[ $(j "$work/c2.json" "[i['kind'] for i in d['items'] if i['kind'] == 'build-cache']") == "[]" ]] \
  && ok "a second dry run lists no build cache" || bad "after --force: $(cat "$work/c2.json")"
stop_proxy
finish
