#!/usr/bin/env bash
# `stackfit record` captures container health, and `plan --startup --db`
# uses it; against a private dockerd (tests/docker/dockerd_harness.sh) and
# Debian's docker-compose 1.29. Two health-checked services turn ready after
# a known delay (a file their check tests):
#   declared  health check in the Compose file, ready after 2 s
#   imaged    health check only in its image (HEALTHCHECK of a tiny image
#             built here FROM stackfit-base:latest; no pull), ready after 3 s
#   app       no health check; depends_on both
# Checks: the store holds healthy events and each container's effective
# health check (also the image's one the Compose file does not show); the
# time to healthy plan --startup measures fits the checks' timings (ready
# delay <= t <= delay + interval + slack); the plan counts the image's check,
# says so, and writes its start_period from the time to healthy; Compose
# started with that override gives `imaged` the image's test with the new
# start_period, and starts `app` only once both are healthy.
# usage: record_health_test.sh <stackfit> <source-dir>     (as root)
set -uo pipefail
stackfit=$1
source "$2/tests/integration/record_common.sh" "$2" sfhealth

image=sfhealth-img:latest
mkdir -p "$work/img"
cat >"$work/img/Dockerfile" <<'DOCKERFILE'
FROM stackfit-base:latest
HEALTHCHECK --interval=1s --timeout=1s --retries=30 CMD test -f /tmp/ready
DOCKERFILE
DOCKER_BUILDKIT=0 harness_docker "$state" build -q -t "$image" "$work/img" >"$work/build.log" 2>&1 \
  && ok "image with a HEALTHCHECK built from stackfit-base" || { bad "docker build: $(tail -1 "$work/build.log")"; finish; }

cat >"$work/compose.yml" <<'YAML'
version: "2.4"
services:
  declared:
    image: stackfit-base:latest
    network_mode: none
    stop_signal: SIGKILL
    command: ["sh", "-c", "sleep 2; touch /tmp/ready; exec sleep 1000000"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 1s
      timeout: 1s
      retries: 30
  imaged:
    image: sfhealth-img:latest
    network_mode: none
    stop_signal: SIGKILL
    command: ["sh", "-c", "sleep 3; touch /tmp/ready; exec sleep 1000000"]
  app:
    image: stackfit-base:latest
    network_mode: none
    stop_signal: SIGKILL
    command: ["sleep", "1000000"]
    depends_on: [declared, imaged]
YAML

db="$work/rec.db"
q() { sqlite3 "$db" "$1"; }

# ---- record while the stack starts ------------------------------------------
"$stackfit" record -f "$work/compose.yml" -p sfhealth --host "unix://$sock" --interval 200ms --db "$db" \
  --format json >"$work/out.json" 2>"$work/record.err" &
background_pid=$!
sleep 1
compose up -d >"$work/up.log" 2>&1 || { bad "compose up: $(tail -1 "$work/up.log")"; finish; }
wait_healthy 2 || bad "the two health-checked services did not turn healthy"
sleep 0.6  # a tick or two for the recorder to take the last events
kill -INT "$background_pid" 2>/dev/null
wait "$background_pid"
code=$?
background_pid=""
[[ $code -eq 0 ]] && ok "record exits 0" || bad "record exit $code: $(cat "$work/record.err")"

[[ $(q "PRAGMA user_version") == 3 ]] && ok "store schema version 3" || bad "user_version $(q "PRAGMA user_version")"
for svc in declared imaged; do
  n=$(q "SELECT count(*) FROM events e JOIN containers c ON c.key = e.container_key
         WHERE c.service = '$svc' AND e.kind = 'healthy'")
  [[ $n -ge 1 ]] && ok "$svc: healthy event stored" || bad "$svc: $n healthy events"
done
n=$(q "SELECT count(*) FROM events e JOIN containers c ON c.key = e.container_key WHERE c.service = 'app'
       AND e.kind IN ('healthy', 'unhealthy')")
[[ $n == 0 ]] && ok "app (no health check): no health events" || bad "app: $n health events"
row=$(q "SELECT healthcheck_test, healthcheck_interval_ns, healthcheck_retries FROM containers WHERE service = 'declared'")
[[ $row == '["CMD","test","-f","/tmp/ready"]|1000000000|30' ]] && ok "declared: health check recorded ($row)" \
  || bad "declared: health check row '$row'"
row=$(q "SELECT healthcheck_test, healthcheck_interval_ns, healthcheck_timeout_ns FROM containers WHERE service = 'imaged'")
[[ $row == '["CMD-SHELL","test -f /tmp/ready"]|1000000000|1000000000' ]] \
  && ok "imaged: the image's health check recorded ($row)" || bad "imaged: health check row '$row'"
[[ -z $(q "SELECT coalesce(healthcheck_test, '') FROM containers WHERE service = 'app'") ]] \
  && ok "app: no health check recorded" || bad "app: $(q "SELECT healthcheck_test FROM containers WHERE service = 'app'")"
# Time to healthy straight from the events, per service (ms).
tth() {
  q "SELECT (h.time_ns - s.time_ns) / 1000000 FROM events s JOIN containers c ON c.key = s.container_key
     JOIN events h ON h.container_key = s.container_key AND h.kind = 'healthy' AND h.time_ns >= s.time_ns
     WHERE c.service = '$1' AND s.kind = 'start' ORDER BY h.time_ns LIMIT 1"
}
sql_declared=$(tth declared)
sql_imaged=$(tth imaged)
[[ $(json "s['imaged']['time_to_healthy']['max_ms'], s['declared']['time_to_healthy']['max_ms'], s['app']['time_to_healthy']") == \
  "$sql_imaged $sql_declared None" ]] && ok "record's summary: time to healthy per service" \
  || bad "record summary time_to_healthy: $(json "[(x['name'], x['time_to_healthy']) for x in d['services']]")"

# ---- plan --startup --db ------------------------------------------------------
plan() { "$stackfit" plan --startup -f "$work/compose.yml" -p sfhealth --db "$db" --startup-window 10s "$@"; }
plan --format json --write "$work/startup.yml" >"$work/plan.json" 2>"$work/plan.err"
code=$?
[[ $code -eq 0 ]] && ok "plan --startup --db exits 0" || bad "plan exit $code: $(cat "$work/plan.err")"
pj() { /usr/bin/python3 -c "import json; d=json.load(open('$work/plan.json')); s={x['name']: x for x in d['services']}; print($1)"; }
# Ready after D s, checked every 1 s (each check up to 1 s, plus the start of
# the check's process): healthy between D and D + 1 s + 1.5 s of slack.
within() {  # within NAME VALUE LOW HIGH
  if [[ $2 =~ ^[0-9]+$ ]] && (($2 >= $3 && $2 <= $4)); then
    ok "$1: time to healthy $2 ms (expected $3..$4 ms)"
  else
    bad "$1: time to healthy '$2' (expected $3..$4 ms)"
  fi
}
declared_ms=$(pj "s['declared']['healthy_ms']")
imaged_ms=$(pj "s['imaged']['healthy_ms']")
within declared "$declared_ms" 2000 4500
within imaged "$imaged_ms" 3000 5500
[[ $declared_ms == "$sql_declared" && $imaged_ms == "$sql_imaged" ]] && ok "plan's times match the stored events" \
  || bad "plan $declared_ms/$imaged_ms vs events $sql_declared/$sql_imaged"
[[ $(pj "s['imaged']['healthcheck'], s['imaged']['healthcheck_source'], s['declared']['healthcheck_source']") == \
  "True recorded compose" ]] && ok "imaged counts as health-checked (recorded), declared from Compose" \
  || bad "health check sources: $(pj "[(x['name'], x['healthcheck'], x['healthcheck_source']) for x in d['services']]")"
[[ $(pj "[sorted(w['services']) for w in d['waves']]") == "[['declared', 'imaged'], ['app']]" ]] && ok "waves: $(pj "[w['services'] for w in d['waves']]")" \
  || bad "waves: $(pj "[w['services'] for w in d['waves']]")"
[[ $(pj "d['waves'][0]['healthy_ms']") == "$(( declared_ms > imaged_ms ? declared_ms : imaged_ms ))" ]] \
  && ok "wave 1 waits $(pj "d['waves'][0]['healthy_ms']") ms: its slower service's time to healthy" \
  || bad "wave 1 healthy_ms $(pj "d['waves'][0]['healthy_ms']")"
[[ $(pj "sorted((w['service'], w['condition']) for w in s['app']['waits_for'])") == \
  "[('declared', 'service_healthy'), ('imaged', 'service_healthy')]" ]] && ok "app waits for both to be healthy" \
  || bad "app waits for: $(pj "s['app']['waits_for']")"
imaged_sp=$(pj "s['imaged']['healthcheck_override']['start_period_ms']")
want_sp=$(( (imaged_ms + 999) / 1000 * 1000 ))
[[ $imaged_sp =~ ^[0-9]+$ ]] && ((imaged_sp >= want_sp && imaged_sp <= want_sp + 1000)) \
  && ok "imaged: start_period ${imaged_sp} ms from its time to healthy" || bad "imaged start_period '$imaged_sp' (want >= $want_sp)"
pj "d['notes']" | grep -q "imaged: no health check in the Compose files; the recorded container ran one (from its image)" \
  && ok "the schedule says imaged's check comes from the recording" || bad "notes: $(pj "d['notes']")"
out=$(plan 2>&1)
[[ -n ${SF_SHOW:-} ]] && { echo "$out"; cat "$work/startup.yml"; }  # SF_SHOW=1: the schedule, for the docs
grep -q "HEALTHY IN" <<<"$out" && grep -q "image's" <<<"$out" && ok "table shows time to healthy and the image's check" \
  || bad "table: $out"

# ---- Compose follows the override ----------------------------------------------
compose down -t 0 >/dev/null 2>&1
DOCKER_HOST="unix://$sock" timeout 60 docker-compose -p sfhealth -f "$work/compose.yml" -f "$work/startup.yml" \
  up -d >"$work/up2.log" 2>&1 && ok "docker-compose up with the override" || bad "compose up with override: $(tail -3 "$work/up2.log")"
hc=$(harness_docker "$state" inspect -f '{{json .Config.Healthcheck}}' sfhealth_imaged_1 2>&1 |
  /usr/bin/python3 -c "import json, sys; h = json.load(sys.stdin); print(json.dumps(h['Test']), h.get('StartPeriod'))" 2>&1)
[[ $hc == "[\"CMD-SHELL\", \"test -f /tmp/ready\"] $((imaged_sp * 1000000))" ]] \
  && ok "imaged keeps the image's test with the override's start_period" || bad "imaged health check: $hc"
app_state=$(harness_docker "$state" inspect -f '{{.State.Running}}' sfhealth_app_1 2>&1)
healthy_now=$(harness_docker "$state" ps --filter label=com.docker.compose.project=sfhealth --filter health=healthy -q | wc -l)
[[ $app_state == true && $healthy_now == 2 ]] && ok "app started once both were healthy" \
  || bad "app running '$app_state', healthy containers $healthy_now"
echo "figures: time to healthy declared ${declared_ms} ms (ready at 2 s), imaged ${imaged_ms} ms (ready at 3 s)"
finish
