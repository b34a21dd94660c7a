#!/usr/bin/env bash
# `stackfit plan --startup` from declared figures only (no engine): waves,
# verdicts, the written override as docker-compose 1.29 reads it, and bad
# input (cycle, unknown machine, reserve above the budget, missing store,
# overwriting a file).
# usage: startup_cli_test.sh <stackfit> <source-dir>
set -uo pipefail
stackfit=$1
source "$2/tests/testing/checks.sh"  # ok, bad, finish
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat >"$work/compose.yml" <<'YAML'
services:
  db:
    image: postgres
    mem_limit: 600m
    mem_reservation: 200m
    healthcheck: {test: [CMD, pg_isready], interval: 2s}
  cache:
    image: redis
    mem_limit: 300m
    mem_reservation: 100m
    healthcheck: {test: [CMD, redis-cli, ping], interval: 2s}
  api:
    image: api
    mem_limit: 500m
    mem_reservation: 100m
    depends_on: [db]
YAML
# db 600 | cache 300 (+200 db steady) | api 500 (+300 steady) within 800 MiB.
"$stackfit" plan --startup -f "$work/compose.yml" --budget 800Mi --format json >"$work/p.json" 2>"$work/err"
code=$?
pj() { /usr/bin/python3 -c "import json; d=json.load(open('$work/p.json')); print($1)"; }
[[ $code -eq 0 ]] && ok "fits: exit 0" || bad "exit $code: $(cat "$work/err")"
[[ $(pj "[w['services'] for w in d['waves']]") == "[['db'], ['cache'], ['api']]" ]] && ok "waves db | cache | api" \
  || bad "waves $(pj "[w['services'] for w in d['waves']]")"
[[ $(pj "[w['expected_peak_bytes'] >> 20 for w in d['waves']]") == "[600, 500, 800]" ]] \
  && ok "expected peaks 600, 500, 800 MiB (limits as peaks, requests as steady)" \
  || bad "peaks $(pj "[w['expected_peak_bytes'] >> 20 for w in d['waves']]")"
[[ $(pj "d['services'][0]['source']") == limit ]] && ok "source: limit" || bad "source $(pj "d['services'][0]['source']")"

"$stackfit" plan --startup -f "$work/compose.yml" --budget 700Mi >"$work/t.txt" 2>&1
code=$?
[[ $code -eq 1 ]] && grep -q "does NOT fit" "$work/t.txt" && ok "does not fit: exit 1" || bad "700Mi: exit $code $(cat "$work/t.txt")"

# ---- the override, read back by docker-compose 1.29 ------------------------
"$stackfit" plan --startup -f "$work/compose.yml" --budget 800Mi --write "$work/startup.yml" >/dev/null 2>"$work/err"
code=$?
[[ $code -eq 0 && -s $work/startup.yml ]] && ok "--write writes the override" || bad "--write exit $code: $(cat "$work/err")"
docker-compose -f "$work/compose.yml" -f "$work/startup.yml" config >"$work/merged.yml" 2>"$work/err"
if [[ $? -eq 0 ]]; then
  got=$(/usr/bin/python3 -c "
import yaml; s=yaml.safe_load(open('$work/merged.yml'))['services']
print(sorted(s['cache']['depends_on'].items()), sorted(s['api']['depends_on'].items()), s['cache']['healthcheck']['interval'])")
  want="[('db', {'condition': 'service_healthy'})] [('cache', {'condition': 'service_healthy'}), ('db', {'condition': 'service_started'})] 2s"
  [[ $got == "$want" ]] && ok "docker-compose config merges it: cache waits for db healthy, api for cache" \
    || bad "merged: $got"
else
  bad "docker-compose config: $(cat "$work/err")"
fi
# Without a budget db and cache share wave 1: cache's check is staggered
# (interval 2 s + 2000/4 ms, start_period 500 ms), as Compose reads it back.
"$stackfit" plan --startup -f "$work/compose.yml" --write "$work/stagger.yml" >/dev/null 2>"$work/err"
got=$(docker-compose -f "$work/compose.yml" -f "$work/stagger.yml" config 2>&1 | /usr/bin/python3 -c "
import sys, yaml; h=yaml.safe_load(sys.stdin)['services']['cache']['healthcheck']; print(h['interval'], h['start_period'], h['test'])")
[[ $got == "2500ms 500ms ['CMD', 'redis-cli', 'ping']" ]] && ok "staggered health check read back by docker-compose: $got" \
  || bad "stagger: $got $(cat "$work/err")"
err=$("$stackfit" plan --startup -f "$work/compose.yml" --budget 800Mi --write "$work/startup.yml" 2>&1 >/dev/null)
code=$?
[[ $code -eq 2 && $err == "stackfit: $work/startup.yml: already exists; not overwritten (use --force to replace it)" ]] \
  && ok "an existing file is not replaced without --force" \
  || bad "overwrite: exit $code: $err"
"$stackfit" plan --startup -f "$work/compose.yml" --budget 800Mi --write "$work/startup.yml" --force >/dev/null 2>&1 \
  && ok "--force replaces it" || bad "--force"
err=$("$stackfit" plan --startup -f "$work/compose.yml" --write "$work/compose.yml" --force 2>&1 >/dev/null)
code=$?
[[ $code -eq 2 && $err == "stackfit: $work/compose.yml: is one of the stack's own files; write the override elsewhere" ]] \
  && ok "never writes over the stack's own file" || bad "own file: exit $code: $err"

# ---- bad input ---------------------------------------------------------------
cat >"$work/cycle.yml" <<'YAML'
services:
  a: {image: x, depends_on: [b]}
  b: {image: x, depends_on: [c]}
  c: {image: x, depends_on: [a]}
YAML
err=$("$stackfit" plan --startup -f "$work/cycle.yml" 2>&1)
code=$?
[[ $code -eq 2 && $err == "stackfit: $work/cycle.yml:2:3: depends_on cycle: a → b → c → a" ]] \
  && ok "cycle: exit 2, named" || bad "cycle: exit $code: $err"
err=$("$stackfit" plan --startup -f "$work/compose.yml" --machine t3.mikro 2>&1)
code=$?
[[ $code -eq 2 && $err == *'unknown machine "t3.mikro"'* ]] && ok "unknown machine: exit 2" || bad "machine: $code $err"
err=$("$stackfit" plan --startup -f "$work/compose.yml" --budget 1Gi --reserve 2Gi 2>&1)
code=$?
[[ $code -eq 2 && $err == "stackfit: --budget: 1 GiB is not above the 2 GiB reserve kept by OS and engine: nothing is left for containers" ]] && ok "reserve above budget: exit 2" \
  || bad "reserve: $code $err"
err=$("$stackfit" plan --startup -f "$work/compose.yml" --db "$work/none.db" 2>&1)
code=$?
[[ $code -eq 2 && $err == "stackfit: $work/none.db: no sample store (record history first with \`stackfit record\`)" && ! -e $work/none.db ]] \
  && ok "missing store: exit 2, not created" || bad "store: $code $err"
echo 'not a database' >"$work/junk.db"
err=$("$stackfit" plan --startup -f "$work/compose.yml" --db "$work/junk.db" 2>&1)
code=$?
[[ $code -eq 2 && $err == *"not a stackfit store"* ]] && ok "foreign file as store: exit 2" || bad "junk: $code $err"
err=$("$stackfit" plan --startup -f "$work/compose.yml" --startup-window 0s 2>&1)
[[ $? -eq 2 ]] && ok "--startup-window 0s refused" || bad "window: $err"
echo "$passed passed, $failures failed"
((failures == 0))
