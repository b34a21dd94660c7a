#!/usr/bin/env bash
# `stackfit recommend` end to end over a real store: `stackfit record` creates
# it (a short real recording of the host's /docker cgroups), then the test adds
# hours of history for project "rtest" in the documented format
# (docs/store-schema.md) with python3's sqlite3, and checks the numbers against
# values computed by hand (docs/recommend.md formulas), the JSON contract
# (docs/recommend-json.md), the renamed-service note, not_enough_data, and the
# one-line errors for a store without the stack's data, a missing store and bad flags.
# usage: recommend_test.sh <stackfit> <source-dir>
set -uo pipefail
stackfit=$1
pass=0
fail=0
work=$(mktemp -d /tmp/sfreco.XXXXXX)
trap 'rm -rf "$work"' EXIT
ok() { echo "ok $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

db="$work/s.db"
cgroup=/docker
[ -d /sys/fs/cgroup/memory/docker ] || cgroup=/
timeout 30 "$stackfit" record --cgroup "$cgroup" --duration 2s --interval 1s --db "$db" --format json \
  >"$work/rec.json" 2>"$work/rec.err"
[ -s "$db" ] && ok "record created the store" || { bad "record: $(cat "$work/rec.err")"; finish; }

python3 - "$db" "$2" <<'PY' || { bad "writing history"; finish; }
import sqlite3, sys
sys.path.insert(0, sys.argv[2] + "/tests/testing")
from store_rows import MiB
import store_rows
db = sqlite3.connect(sys.argv[1])
container = lambda key_id, service, limit: store_rows.container(db, "rtest", key_id, service, limit)
samples = lambda key, *args, **kw: store_rows.samples(db, key, *args, **kw)
api = container("api0", "api", 512 * MiB)
samples(api, 300, lambda i: 250 * MiB if i < 5 else (300 * MiB if i == 100 else 200 * MiB),
        ooms_of=lambda i: 1 if i >= 200 else 0)
redis = container("redis0", "redis", None)
samples(redis, 200, lambda i: 50 * MiB)
worker = container("worker0", "worker", None)
samples(worker, 50, lambda i: 30 * MiB)
flaky = container("flaky0", "flaky", 256 * MiB)
samples(flaky, 16, lambda i: 250 * MiB, ooms_of=lambda i: 1 if i >= 10 else 0)
old = container("old0", "old-api", None)
samples(old, 120, lambda i: 80 * MiB)
db.commit()
PY

cat >"$work/compose.yml" <<'YAML'
services:
  api:
    image: example/api:1
    mem_limit: 512m
  redis:
    image: redis:7
    command: ["redis-server", "--maxmemory", "100mb"]
  worker:
    image: example/worker:1
    command: celery -A app.worker worker --loglevel=info
    environment:
      CELERY_BROKER_URL: redis://redis:6379/0
  db:
    image: example/db:1
  flaky:
    image: example/flaky:1
    mem_limit: 256m
YAML

"$stackfit" recommend -f "$work/compose.yml" -p rtest --db "$db" --since 1d --strategy peak >"$work/table.txt" 2>"$work/table.err"
code=$?
[ "$code" -eq 0 ] && ok "recommend exits 0" || bad "recommend exit $code: $(cat "$work/table.err")"
grep -q 'note: service "old-api" was recorded (120 samples) but is not in the stack (renamed or removed?): not recommended' \
  "$work/table.txt" && ok "renamed service: one note line" || bad "renamed note missing: $(cat "$work/table.txt")"
grep -Eq '^api +- -> 348 MiB +512 MiB -> 616 MiB +- -> 110m' "$work/table.txt" \
  && ok "table row for api" || bad "api row: $(grep '^api' "$work/table.txt")"

"$stackfit" recommend -f "$work/compose.yml" -p rtest --db "$db" --since 1d --strategy peak --format json \
  >"$work/out.json" 2>"$work/json.err"
python3 - "$work/out.json" <<'PY' && ok "JSON numbers match hand-computed values" || bad "JSON check"
import json, sys
d = json.load(open(sys.argv[1]))
MiB = 1 << 20
assert d["schema"] == "stackfit.recommend/1", d["schema"]
assert d["source"]["kind"] == "store" and d["strategy"] == "peak" and d["profile"] == "prod"
s = {x["name"]: x for x in d["services"]}
assert list(s) == ["api", "redis", "worker", "db", "flaky"], list(s)
api = s["api"]
# peak 300 MiB -> 345 -> 348 MiB, but OOM-killed with a 512 MiB limit:
# max(512 * 1.2, 512 + 100) = 614.4 MiB -> 616 MiB. Request: steady peak 300 MiB -> 348 MiB.
assert api["memory"]["limit_bytes"] == 616 * MiB, api["memory"]
assert api["memory"]["request_bytes"] == 348 * MiB, api["memory"]
assert api["memory"]["declared_limit_bytes"] == 512 * MiB
assert api["memory"]["startup_peak_bytes"] == 250 * MiB, api["memory"]
assert api["memory"]["steady_peak_bytes"] == 300 * MiB
assert api["oom_kills"] == 1 and api["status"] == "ok"
# 100m of CPU: bucket [97.0, 101.6) ends at 101.63 -> 102 -> 110m.
assert api["cpu"]["request_millicores"] == 110 and api["cpu"]["limit_millicores"] is None, api["cpu"]
r = s["redis"]
# 50 MiB -> 57.5 -> 60 MiB from usage, but the Redis is the worker's Celery
# broker and forks for snapshots: maxmemory is half the limit and must hold
# the 50 MiB seen, so the limit is raised to 100 MiB and nothing is evicted.
assert r["memory"]["limit_bytes"] == 100 * MiB, r["memory"]
assert r["runtime"] == [{"knob": "redis_maxmemory", "bytes": 50 * MiB, "policy": "noeviction",
                         "reason": r["runtime"][0]["reason"]}], r["runtime"]
assert "queue broker for worker (CELERY_BROKER_URL)" in r["runtime"][0]["reason"], r["runtime"]
assert any(x.startswith("limit raised to 100 MiB so maxmemory still holds the 50 MiB seen") for x in r["reasons"]), r["reasons"]
for name in ("worker", "db"):
    w = s[name]
    assert w["status"] == "not_enough_data", w
    assert w["memory"]["request_bytes"] is None and w["memory"]["limit_bytes"] is None
    assert w["cpu"]["request_millicores"] is None
assert s["worker"]["samples"] == 50 and s["db"]["samples"] == 0
assert any("old-api" in n for n in d["notes"])
# Killed after 16 samples: too few for a strategy, never nothing after a kill.
f = s["flaky"]
assert f["status"] == "oom_only" and f["memory"]["limit_bytes"] == 356 * MiB, f   # max(256 x 1.2, 256 + 100)
assert f["memory"]["request_bytes"] is None
PY

# The default strategy, adaptive, on the same store: 5 hours of history are
# too few for its ensemble, so its base model decides, and the kill of the
# last day holds the limit at 1.5 x the 512 MiB it was killed with.
"$stackfit" recommend -f "$work/compose.yml" -p rtest --db "$db" --since 1d --format json \
  >"$work/adaptive.json" 2>"$work/adaptive.err"
python3 - "$work/adaptive.json" <<'PY' >"$work/adaptive.check" 2>&1 && ok "adaptive (default): base model, OOM hold, oom_only" || bad "adaptive JSON check: $(tail -2 "$work/adaptive.check")"
import json, sys
d = json.load(open(sys.argv[1]))
MiB = 1 << 20
assert d["strategy"] == "adaptive", d["strategy"]
s = {x["name"]: x for x in d["services"]}
api = s["api"]
assert api["strategy"] == "adaptive" and api["model"]["base_model"] is True, api["model"]
assert api["memory"]["limit_bytes"] == 768 * MiB and api["model"]["oom_floor_bytes"] == 768 * MiB, (api["memory"], api["model"], api["reasons"])
# redis: the base model says 50 MiB x 1.05 + min(192 MiB, 30 %) = 67.5 MiB, but
# it is a broker that forks: its noeviction maxmemory (50 % of the limit) must
# hold the 50 MiB seen, so the knob rule raises the limit to 100 MiB.
r = s["redis"]
assert r["model"]["headroom_bytes"] == 15 * MiB and r["memory"]["limit_bytes"] == 100 * MiB, (r["memory"], r["model"])
assert s["flaky"]["status"] == "oom_only" and s["flaky"]["model"] is None
PY

# The recommendation written by `apply` keeps noeviction for the broker, and
# Debian's docker-compose accepts the override.
"$stackfit" apply -f "$work/compose.yml" --from "$work/out.json" --output "$work/override.yml" >"$work/apply.out" 2>&1 \
  || bad "apply --from the recommendation: $(cat "$work/apply.out")"
if docker-compose -f "$work/compose.yml" -f "$work/override.yml" config >"$work/config.yml" 2>"$work/config.err"; then
  /usr/bin/python3 - "$work/config.yml" <<'PY' && ok "apply: broker keeps noeviction in docker-compose config" || bad "apply: broker override"
import sys, yaml
r = yaml.safe_load(open(sys.argv[1]))["services"]["redis"]
want = ["redis-server", "--maxmemory", "50mb", "--maxmemory-policy", "noeviction"]
if r["command"] != want: print("  got", r["command"], "want", want); sys.exit(1)
PY
else
  bad "docker-compose config rejects the override: $(cat "$work/config.err")"
fi

"$stackfit" recommend -f "$work/compose.yml" -p rtest --db "$db" --since 1d --strategy-for api=percentile \
  --sizing-profile dev --format csv >"$work/out.csv" 2>&1
grep -q '^api,ok,percentile,' "$work/out.csv" && ok "--strategy-for and csv" || bad "csv: $(head -2 "$work/out.csv")"

"$stackfit" recommend -f "$work/compose.yml" -p elsewhere --db "$db" --since 1d >"$work/o" 2>"$work/e"
code=$?
lines=$(wc -l <"$work/e")
if [ "$code" -eq 2 ] && [ "$lines" -eq 1 ] && grep -q "^stackfit: $db: no samples of project \"elsewhere\" in the last 1d (recorded projects: .*rtest)$" "$work/e" && [ ! -s "$work/o" ]; then
  ok "store without the stack's data: one line, exit 2, nothing printed"
else
  bad "no-data case: exit $code, $(cat "$work/e")"
fi

"$stackfit" recommend --db "$work/missing.db" >"$work/o" 2>"$work/e"
code=$?
[ "$code" -eq 2 ] && grep -qx "stackfit: $work/missing.db: no sample store (record history first with \`stackfit record\`)" "$work/e" \
  && [ ! -e "$work/missing.db" ] && ok "missing store: one line, exit 2, no file created" || bad "missing store: $code $(cat "$work/e")"

"$stackfit" recommend --db "$db" --strategy p95 >"$work/o" 2>"$work/e"
code=$?
[ "$code" -eq 2 ] && grep -q 'unknown strategy "p95"' "$work/e" && ok "bad --strategy: exit 2" || bad "bad strategy: $code $(cat "$work/e")"
"$stackfit" recommend -f "$work/compose.yml" -p rtest --db "$db" --strategy-for nosuch=peak >"$work/o" 2>"$work/e"
code=$?
[ "$code" -eq 2 ] && grep -q 'no service "nosuch"' "$work/e" && [ ! -s "$work/o" ] && ok "unknown --strategy-for service: exit 2" \
  || bad "strategy-for: $code $(cat "$work/e")"
# --- an OOM counter that jumps to INT64_MAX (issue 17: `record` stores what a
# cgroup file says; recommend's time used to grow with the size of the jump).
python3 - "$db" "$2" <<'PY' || bad "writing the jump history"
import sqlite3, sys
sys.path.insert(0, sys.argv[2] + "/tests/testing")
import store_rows
db = sqlite3.connect(sys.argv[1])
store_rows.samples(db, store_rows.container(db, "jump", "jump0", "api", 256 * store_rows.MiB), 120,
                   lambda i: 100 * store_rows.MiB)
db.commit()
PY
sqlite3 "$db" "UPDATE samples SET oom_kills = 9223372036854775807 WHERE container_key =
  (SELECT key FROM containers WHERE engine_id = 'jump0') AND time_ns >= (SELECT time_ns FROM samples
  WHERE container_key = (SELECT key FROM containers WHERE engine_id = 'jump0') ORDER BY time_ns LIMIT 1 OFFSET 60)"
printf 'services:\n  api:\n    image: example/api:1\n    mem_limit: 256m\n' >"$work/jump.yml"
sum_before=$(sha256sum <"$db")
timeout 20 "$stackfit" recommend -f "$work/jump.yml" -p jump --db "$db" --since 1d --format json >"$work/jump.json" 2>"$work/e"
code=$?
if [ "$code" -eq 0 ] && [ ! -s "$work/e" ] && [ "$(sha256sum <"$db")" = "$sum_before" ] && python3 - "$work/jump.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["services"][0]
# One jump of INT64_MAX kills, counted once; the limit held at x1.5 of the declared 256 MiB after a kill.
assert s["name"] == "api" and s["oom_kills"] == 9223372036854775807, s
assert s["memory"]["limit_bytes"] == 384 * 2**20, s["memory"]
PY
then
  ok "OOM counter jump to INT64_MAX: recommend finishes within 20 s, kills saturate, store unchanged"
else
  bad "INT64_MAX OOM jump: exit $code (124 = still running after 20 s), $(head -1 "$work/e")"
fi
finish
