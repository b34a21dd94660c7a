#!/usr/bin/env bash
# `stackfit doctor` and `stackfit cleanup` against a real dockerd of their own
# (tests/docker/dockerd_harness.sh) and the live kernel:
#   - a Compose service under a 32 MiB limit that allocates 64 MiB: the kernel
#     OOM-kills it, and doctor names its container, service and project from
#     the kernel's own record (/dev/kmsg, readable as root);
#   - cleanup's dry run over a stopped container, a dangling image (one tag
#     committed twice), an unused anonymous volume, and a running container with
#     a named volume: exactly the first three listed, nothing changed
#     (`docker system df`, `docker ps -a`, images, volumes identical before and after);
#   - every request of doctor, verify, inspect and the dry run is a GET (a
#     logging pass-through in front of the real socket); --force sends exactly
#     one DELETE per listed item, removes those three and spares the rest;
#   - an engine that refuses a delete (the volume taken into use just before):
#     one line naming it, exit 1, the rest removed;
#   - the same kill recorded by `stackfit record --db`: `doctor --db` names
#     it from the store (service, project, time within 3 s of the kernel's),
#     and reads the default store when there is one ($XDG_STATE_HOME);
#   - --kernel-log kmsg, dmesg, journal (each alone) and a saved `dmesg` file
#     name the kill; hostile saved logs (binary garbage, NUL bytes, a huge
#     line) are a warn or a kill found, never a crash;
#   - an unreadable kernel log is a warn, an unreachable engine exit 3.
# usage: doctor_cleanup_test.sh <stackfit> <source-dir>     (as root)
set -uo pipefail
stackfit=$1
source "$2/tests/integration/record_common.sh" "$2" sfdoc
source "$2/tests/integration/engine_proxy.sh"
docker_() { harness_docker "$state" "$@"; }
trap 'stop_proxy; cleanup' EXIT
j() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

# ---- a real OOM kill in a Compose service ------------------------------------
cat >"$work/compose.yml" <<'YAML'
version: "2.4"
services:
  hog:
    image: stackfit-base:latest
    network_mode: none
    mem_limit: 32m
    memswap_limit: 32m
    volumes: ["/usr:/usr:ro"]
    command: ["sh", "-c", "sleep 2; python3 -c 'b = bytearray(64 << 20)'; sleep 600"]
  calm:
    image: stackfit-base:latest
    network_mode: none
    mem_limit: 16m
    command: ["sleep", "600"]
YAML
# The recorder first, so the kill (2 s after the start) falls inside its readings.
db="$work/rec.db"
"$stackfit" record --project sfdoc --host "unix://$sock" --interval 250ms --duration 120s --db "$db" \
  --format json >"$work/rec.json" 2>"$work/rec.err" &
background_pid=$!
sleep 1
compose up -d >"$work/up.log" 2>&1 || { bad "compose up: $(tail -1 "$work/up.log")"; finish; }
hog_id=$(docker_ inspect --format '{{.Id}}' sfdoc_hog_1)
for ((i = 0; i < 100; i++)); do
  grep -q "task_memcg=/docker/$hog_id" <(timeout 2 cat /dev/kmsg 2>/dev/null) && break
  sleep 0.2
done
export XDG_STATE_HOME="$work/no-state"  # no default store: doctor adds no recorded checks
"$stackfit" doctor --host "unix://$sock" -f "$work/compose.yml" --since 10m --format json >"$work/d.json" 2>"$work/d.err"
code=$?
got=$(j "$work/d.json" "[(k['service'], k['project'], k['container_name'], k['container'], k['process'], k['constraint']) for k in d['oom_kills'] if k['container'] == '$hog_id']")
[[ $got == "[('hog', 'sfdoc', 'sfdoc_hog_1', '$hog_id', 'python3', 'memcg')]" ]] \
  && ok "the kernel's OOM kill of hog is named: service hog, project sfdoc, container sfdoc_hog_1" \
  || bad "oom_kills: $got $(cat "$work/d.err")"
[[ $code -eq 1 && $(j "$work/d.json" "[c['status'] for c in d['checks'] if c['id'] == 'oom-kills']") == "['fail']" ]] \
  && ok "doctor: the kill is a fail check, exit 1" || bad "doctor exit $code"
got=$(j "$work/d.json" "(d['kernel_log']['source'], d['engine']['platform'], d['engine']['mem_total_bytes'] > 0, d['stack']['committed_bytes'], d['host']['kernel_release'] != '')")
[[ $got == "('/dev/kmsg', 'native', True, 50331648, True)" ]] \
  && ok "doctor: /dev/kmsg read, native engine, stack commits 48 MiB" || bad "doctor facts: $got"
out=$("$stackfit" doctor --host "unix://$sock" --since 10m 2>&1)
# Other containers of this host (other tests, other engines) may have been
# killed in the window too: the kill table's row for hog is what is checked.
grep -qE '^fail +oom-kills +[0-9]+ OOM kills in the last 10m: ' <<<"$out" \
  && grep -qE '^[0-9T:-]+Z +hog +sfdoc +sfdoc_hog_1 +python3 +[0-9]+$' <<<"$out" \
  && ok "doctor table: 'fail oom-kills', and a kill row: hog sfdoc sfdoc_hog_1 python3" || bad "doctor table: $out"
grep -qE '^ok +stack-fit|^(ok|warn) +engine-memory' <<<"$out" && ok "doctor table lists engine-memory" || bad "table: $out"
[[ $(j "$work/d.json" "(d['history'], [c['id'] for c in d['checks'] if c['id'].startswith('recorded-')])") == "(None, [])" ]] \
  && ok "no --db and no default store: no recorded checks, history null, no error" || bad "history without a store: $(cat "$work/d.json")"
source "$2/tests/integration/doctor_db_checks.sh"
source "$2/tests/integration/doctor_kernel_log_checks.sh"

# ---- bad input ------------------------------------------------------------------
out=$("$stackfit" doctor --host "unix://$sock" --kernel-log "$work/absent.log" --format json 2>&1)
[[ $(j <(echo "$out") "[(c['status'], c['message']) for c in d['checks'] if c['id'] == 'oom-kills']") == \
   "[('warn', 'kernel log unreadable, OOM kills unknown: $work/absent.log: No such file or directory')]" ]] \
  && ok "an unreadable kernel log is a warn naming it" || bad "unreadable log: $out"
out=$("$stackfit" doctor --host "unix://$state/nothing.sock" 2>&1)
code=$?
[[ $code -eq 3 && $out == "stackfit: $state/nothing.sock: connect: No such file or directory" ]] \
  && ok "engine unreachable: exit 3, one line" || bad "unreachable: exit $code: $out"
out=$("$stackfit" doctor --host "unix://$sock" --since 5x 2>&1)
[[ $? -eq 2 && $out == "stackfit: --since: "* ]] && ok "bad --since: exit 2" || bad "--since: $out"
out=$("$stackfit" cleanup --host "unix://$sock" --volumes all 2>&1)
[[ $? -eq 2 && $out == 'stackfit: --volumes: expected anonymous or named, got "all"' ]] \
  && ok "bad --volumes: exit 2" || bad "--volumes: $out"
compose down -t 0 >/dev/null 2>&1

# ---- cleanup: what there is ------------------------------------------------------
docker_ run --name sfdoc-stopped stackfit-base:latest true >/dev/null 2>&1
docker_ run --name sfdoc-c1 stackfit-base:latest sh -c 'echo one >/f' >/dev/null 2>&1
docker_ commit sfdoc-c1 sfdoc-img:1 >/dev/null
dangling=$(docker_ image inspect --format '{{.Id}}' sfdoc-img:1)
docker_ run --name sfdoc-c2 stackfit-base:latest sh -c 'echo two >/f' >/dev/null 2>&1
docker_ commit sfdoc-c2 sfdoc-img:1 >/dev/null   # the first image loses its tag: dangling
docker_ rm sfdoc-c1 sfdoc-c2 >/dev/null
anon=$(docker_ volume create)
docker_ run -d --name sfdoc-running -v sfdoc-data:/data stackfit-base:latest sleep 600 >/dev/null
stopped_id=$(docker_ inspect --format '{{.Id}}' sfdoc-stopped)
# Without relative times ("3 seconds ago"), which change by themselves.
snapshot() {
  { docker_ system df; docker_ ps -a --no-trunc --format '{{.ID}} {{.Names}} {{.Image}} {{.State}} {{.Mounts}}'
    docker_ images -a --no-trunc --format '{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}'; docker_ volume ls; } 2>&1
}
snapshot >"$work/before"

start_proxy "$work/reads.log" || { bad "proxy start"; finish; }
via="unix://$state/p.sock"
"$stackfit" cleanup --host "$via" --format json >"$work/c.json" 2>"$work/c.err"
code=$?
got=$(j "$work/c.json" "sorted((i['kind'], i['id']) for i in d['items'])")
want=$(/usr/bin/python3 -c "print(sorted([('container', '$stopped_id'), ('image', '$dangling'), ('volume', '$anon')]))")
[[ $code -eq 0 && $got == "$want" ]] && ok "dry run lists exactly the stopped container, the dangling image, the anonymous volume" \
  || bad "dry run: exit $code: $got (want $want) $(cat "$work/c.err")"
[[ $(j "$work/c.json" "(d['dry_run'], d['reclaimed_bytes'], d['reclaimable_bytes'] == sum(i['bytes'] for i in d['items']))") == "(True, None, True)" ]] \
  && ok "dry run JSON: dry_run, reclaimable = sum of items" || bad "dry run JSON: $(cat "$work/c.json")"
"$stackfit" cleanup --host "$via" >"$work/c.txt" 2>&1
grep -q '^stackfit cleanup: dry run: 3 items, ' "$work/c.txt" && ok "dry run table summary" || bad "table: $(cat "$work/c.txt")"
"$stackfit" doctor --host "$via" --since 10m >/dev/null 2>&1
"$stackfit" verify --host "$via" -p sfdoc -f "$work/compose.yml" >/dev/null 2>&1
snapshot >"$work/after"
diff -q "$work/before" "$work/after" >/dev/null && ok "dry run changed nothing (docker system df, ps -a, images -a, volume ls identical)" \
  || bad "dry run changed the engine: $(diff "$work/before" "$work/after" | head -5)"
others=$(grep -cv '^GET ' "$work/reads.log")
[[ $others -eq 0 && $(grep -c '^GET ' "$work/reads.log") -gt 5 ]] \
  && ok "doctor, verify and the dry run sent GET requests only ($(wc -l <"$work/reads.log") requests)" \
  || bad "non-GET requests: $(grep -v '^GET ' "$work/reads.log")"

# ---- --force -------------------------------------------------------------------
start_proxy "$work/force.log" || { bad "proxy start"; finish; }
"$stackfit" cleanup --host "$via" --force --format json >"$work/f.json" 2>"$work/f.err"
code=$?
got=$(grep -v '^GET ' "$work/force.log" | sort)
want=$(printf 'DELETE /v1.41/containers/%s\nDELETE /v1.41/images/%s\nDELETE /v1.41/volumes/%s\n' "$stopped_id" "${dangling/:/%3A}" "$anon" | sort)
[[ $code -eq 0 && $got == "$want" ]] && ok "--force: exactly one DELETE per listed item, nothing else but GET" \
  || bad "--force requests: exit $code: $got $(cat "$work/f.err")"
[[ $(j "$work/f.json" "(d['dry_run'], all(i['removed'] for i in d['items']), d['reclaimed_bytes'] == d['reclaimable_bytes'])") == "(False, True, True)" ]] \
  && ok "--force JSON: all removed, reclaimed = reclaimable" || bad "--force JSON: $(cat "$work/f.json")"
gone=0
docker_ inspect sfdoc-stopped >/dev/null 2>&1 || gone=$((gone + 1))
docker_ image inspect "$dangling" >/dev/null 2>&1 || gone=$((gone + 1))
docker_ volume inspect "$anon" >/dev/null 2>&1 || gone=$((gone + 1))
[[ $gone -eq 3 ]] && ok "the three are gone" || bad "removed $gone of 3"
spared=$(docker_ inspect --format '{{.State.Running}}' sfdoc-running 2>&1; docker_ volume inspect --format '{{.Name}}' sfdoc-data 2>&1;
         docker_ image inspect --format '{{index .RepoTags 0}}' stackfit-base:latest sfdoc-img:1 2>&1)
[[ $spared == $'true\nsfdoc-data\nstackfit-base:latest\nsfdoc-img:1' ]] \
  && ok "spared: the running container, its named volume, the tagged images" || bad "spared: $spared"

# ---- the engine refuses one delete: one line, the rest goes on --------------------
docker_ run --name sfdoc-stopped2 stackfit-base:latest true >/dev/null 2>&1
anon2=$(docker_ volume create)
start_proxy "$work/refuse.log" --before-first-delete \
  "DOCKER_HOST=unix://$sock DOCKER_CONFIG=$state/cli docker run -d --name sfdoc-taker -v $anon2:/x stackfit-base:latest sleep 600 >/dev/null"
"$stackfit" cleanup --host "$via" --force >"$work/r.txt" 2>"$work/r.err"
code=$?
err=$(cat "$work/r.err")
if [[ $code -eq 1 && $(wc -l <"$work/r.err") -eq 1 && $err == "stackfit: cleanup: volume $anon2: $state/p.sock: DELETE /v1.41/volumes/$anon2: HTTP 409: "*"in use"* ]]; then
  ok "a refused delete: exit 1, one line naming the volume and the engine's reason"
else
  bad "refusal: exit $code: $err"
fi
docker_ inspect sfdoc-stopped2 >/dev/null 2>&1 && bad "the rest went on: sfdoc-stopped2 still there" \
  || ok "the rest went on: the stopped container was removed"
grep -q '^stackfit cleanup: removed 1 of 2 items' "$work/r.txt" && ok "summary: removed 1 of 2" || bad "summary: $(cat "$work/r.txt")"
stop_proxy
docker_ rm -f sfdoc-taker sfdoc-running >/dev/null 2>&1
finish
