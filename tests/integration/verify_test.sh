#!/usr/bin/env bash
# `stackfit verify` against a real dockerd of its own and a real Compose 1.29
# project: brought up from file A, verified with A (exit 0); A's memory limit
# edited (exit 1, the mismatch named: service, container, field, declared,
# running); a service dropped from the file while its old container still
# runs (exit 1, named as undeclared); a service declared but not running
# (exit 1); JSON output checked field by field.
# usage: verify_test.sh <stackfit> <source-dir>     (as root)
set -uo pipefail
stackfit=$1
source "$2/tests/integration/record_common.sh" "$2" sfver

# The project from file A: two sleepers under limits (cpus needs the CFS
# quota, which this kernel has).
cat >"$work/compose.yml" <<'YAML'
version: "2.4"
services:
  api:
    image: stackfit-base:latest
    network_mode: none
    stop_signal: SIGKILL
    mem_limit: 48m
    mem_reservation: 16m
    cpus: 0.5
    command: ["sleep", "600"]
  worker:
    image: stackfit-base:latest
    network_mode: none
    stop_signal: SIGKILL
    mem_limit: 32m
    command: ["sleep", "600"]
YAML
compose up -d >"$work/up.log" 2>&1 || { bad "compose up: $(tail -1 "$work/up.log")"; finish; }
verify() { "$stackfit" verify -p sfver --host "unix://$sock" "$@"; }

out=$(verify -f "$work/compose.yml" 2>"$work/err")
code=$?
[[ $code -eq 0 && $out == "stackfit verify: project sfver: 2 running containers carry"* ]] \
  && ok "file A verifies: exit 0" || bad "file A: exit $code: $out $(cat "$work/err")"

# ---- the limit edited in the file: exit 1, the mismatch named -------------------
sed 's/mem_limit: 48m/mem_limit: 64m/' "$work/compose.yml" >"$work/edited.yml"
out=$(verify -f "$work/edited.yml" 2>"$work/err")
code=$?
[[ $code -eq 1 ]] && ok "edited limit: exit 1" || bad "edited limit: exit $code $(cat "$work/err")"
row=$(grep -E '^api +sfver_api_1 +memory_limit +64 MiB +48 MiB$' <<<"$out")
[[ -n $row ]] && ok "edited limit: row names api, sfver_api_1, memory_limit, 64 MiB vs 48 MiB" || bad "table: $out"
verify -f "$work/edited.yml" --format json >"$work/v.json" 2>/dev/null
got=$(/usr/bin/python3 -c "
import json; d=json.load(open('$work/v.json'))
print(d['matches'], [(m['service'], m['container'], m['field'], m['unit'], m['declared'], m['running']) for m in d['mismatches']], d['not_running'], d['undeclared'], len(d['checked']))")
[[ $got == "False [('api', 'sfver_api_1', 'memory_limit', 'bytes', 67108864, 50331648)] [] [] 2" ]] \
  && ok "edited limit: JSON names the one mismatch" || bad "JSON: $got"

# CPU limit and reservation compared too.
sed -e 's/cpus: 0.5/cpus: 1.5/' -e 's/mem_reservation: 16m/mem_reservation: 8m/' "$work/compose.yml" >"$work/cpu.yml"
out=$(verify -f "$work/cpu.yml" --format csv 2>&1)
code=$?
if [[ $code -eq 1 && $out == *"api,sfver_api_1,memory_reservation"* && $out == *"api,sfver_api_1,cpu_limit"* ]]; then
  ok "reservation and CPU limit mismatches: exit 1, both named"
else
  bad "cpu/reservation: exit $code: $out"
fi

# ---- a service removed from the file, its old container still running -----------
/usr/bin/python3 - "$work/compose.yml" >"$work/no-worker.yml" <<'PY'
import sys
lines = open(sys.argv[1]).read().split("\n")
i = lines.index("  worker:")
print("\n".join(lines[:i]))
PY
out=$(verify -f "$work/no-worker.yml" 2>&1)
code=$?
if [[ $code -eq 1 ]] && grep -qE '^worker +sfver_worker_1 +not declared' <<<"$out"; then
  ok "old container of an undeclared service: exit 1, named"
else
  bad "undeclared: exit $code: $out"
fi

# ---- a service declared but not running ----------------------------------------
cat "$work/compose.yml" - >"$work/extra.yml" <<'YAML'
  cache:
    image: stackfit-base:latest
    network_mode: none
    command: ["sleep", "600"]
YAML
out=$(verify -f "$work/extra.yml" --format json 2>&1)
code=$?
nr=$(/usr/bin/python3 -c "import json,sys; print(json.loads(sys.argv[1])['not_running'])" "$out" 2>&1)
[[ $code -eq 1 && $nr == "['cache']" ]] && ok "declared but not running: exit 1, named" || bad "not running: exit $code: $nr"

# ---- after `compose up` from the edited file, it verifies again -------------------
cp "$work/edited.yml" "$work/compose.yml"
compose up -d >"$work/up2.log" 2>&1 || bad "compose up edited: $(tail -1 "$work/up2.log")"
out=$(verify -f "$work/compose.yml" 2>&1)
code=$?
[[ $code -eq 0 ]] && ok "recreated from the edited file: exit 0" || bad "after recreate: exit $code: $out"

# ---- the engine unreachable: exit 3, one line ---------------------------------
err=$("$stackfit" verify -p sfver -f "$work/compose.yml" --host "unix://$work/none.sock" 2>&1)
code=$?
[[ $code -eq 3 && $err == "stackfit: $work/none.sock: connect: No such file or directory" ]] \
  && ok "no engine: exit 3, one line" || bad "no engine: exit $code: $err"
finish
