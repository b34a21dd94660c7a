#!/usr/bin/env bash
# `stackfit record` on two real, loaded services under a private dockerd
# (tests/docker/dockerd_harness.sh) and Debian's docker-compose 1.29:
#   cache  Debian's redis-server, 128 MiB limit, loaded with redis-benchmark
#   db     PostgreSQL 15 (initdb + postgres as uid 65534 "nobody" into a
#          bind-mounted temp folder), 256 MiB limit, loaded with pgbench
# Both use network_mode: host on 127.0.0.1 with free ports picked now; the
# load runs on the host while `stackfit record` records the project.
# Checks: the summary has samples for both services; each peak is above the
# idle working set measured before the load; after the load, on the quiet
# containers, stackfit's working set agrees with `docker stats --no-stream`
# within 1 MiB or 1%.
#
# docker stats' memory figure: docker/cli cli/command/container/stats_helpers.go,
# calculateMemUsageUnixNoCache: on cgroup v1 `Usage - Stats["total_inactive_file"]`
# (when that is below Usage, else Usage), on v2 `Usage - Stats["inactive_file"]`;
# the Usage - "cache" formula was Docker 19.03 and older. The Debian CLI used
# here (/usr/bin/docker, docker.io 20.10.24) is of the new kind; stackfit's
# working set is memory.usage_in_bytes - total_inactive_file (clamped at 0).
# usage: record_services_test.sh <stackfit> <source-dir>     (as root)
set -uo pipefail
stackfit=$1
project=sfsvc$$
source "$2/tests/integration/record_common.sh" "$2" "$project"

source "$2/tests/testing/loopback.sh"
redis_port=$(free_port)
pg_port=$(free_port)
while [[ $pg_port == "$redis_port" ]]; do pg_port=$(free_port); done
mkdir -p "$work/pg"
chown 65534:65534 "$work/pg"
chmod 0700 "$work/pg"
pgbin=/usr/lib/postgresql/15/bin

cat >"$work/compose.yml" <<YAML
version: "2.4"
services:
  cache:
    image: stackfit-base:latest
    network_mode: host
    user: "65534:65534"
    mem_limit: 128m
    volumes: ["/usr:/usr:ro"]
    command: ["/usr/bin/redis-server", "--bind", "127.0.0.1", "--port", "$redis_port",
              "--save", "", "--appendonly", "no", "--dir", "/tmp"]
  db:
    image: stackfit-base:latest
    network_mode: host
    user: "65534:65534"
    mem_limit: 256m
    volumes: ["/usr:/usr:ro", "$work/pg:/pgdata"]
    command: ["sh", "-c", "$pgbin/initdb -D /pgdata/db -A trust -U bench --locale=C -E UTF8 --no-sync >/pgdata/initdb.log 2>&1 && exec $pgbin/postgres -D /pgdata/db -h 127.0.0.1 -p $pg_port -k /tmp -c shared_buffers=32MB -c fsync=off -c max_connections=20"]
YAML
compose up -d >"$work/up.log" 2>&1 || { bad "compose up: $(tail -1 "$work/up.log")"; finish; }

# Ready: redis answers PING, postgres accepts a connection (initdb takes a few s).
deadline=$((SECONDS + 40))
until redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -qx PONG; do
  ((SECONDS < deadline)) || { bad "redis-server did not answer: $(compose logs --tail 3 cache 2>&1)"; finish; }
  sleep 0.3
done
until "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" -U bench -d postgres; do
  ((SECONDS < deadline)) || { bad "postgres did not answer: $(tail -3 "$work/pg/initdb.log"; compose logs --tail 3 db 2>&1)"; finish; }
  sleep 0.3
done
ok "redis-server and postgres answer on 127.0.0.1:$redis_port and :$pg_port"

# One reading per service from `stackfit top` (plain lines when not a terminal).
# Prints "cache BYTES" and "db BYTES" lines.
top_reading() {
  "$stackfit" top --project "$project" --host "unix://$sock" --interval 100ms --duration 150ms </dev/null |
    sed -n 's/.*service=\([a-z]*\) .*working_set_bytes=\([0-9]*\).*/\1 \2/p' |
    awk '{v[$1] = $2} END {for (k in v) print k, v[k]}'   # the last reading of each
}
idle=$(top_reading)
idle_cache=$(awk '$1 == "cache" {print $2}' <<<"$idle")
idle_db=$(awk '$1 == "db" {print $2}' <<<"$idle")
[[ -n $idle_cache && -n $idle_db ]] && ok "idle working set: cache $idle_cache, db $idle_db bytes" \
  || { bad "idle top reading: '$idle'"; finish; }

# ---- record while the host loads both services ------------------------------
"$stackfit" record -f "$work/compose.yml" -p "$project" --host "unix://$sock" --interval 500ms \
  --duration 60s --db "$work/rec.db" --format json >"$work/out.json" 2>"$work/rec.err" &
background_pid=$!
sleep 1
redis-benchmark -h 127.0.0.1 -p "$redis_port" --csv -n 60000 -r 100000 -d 512 -c 10 -t set,get \
  >"$work/redis-bench.log" 2>&1 \
  && ok "redis-benchmark: SET $(awk -F'"' '$2 == "SET" {print $4}' "$work/redis-bench.log") requests/s" \
  || bad "redis-benchmark: $(tail -1 "$work/redis-bench.log")"
"$pgbin/pgbench" -i -s 3 -q -h 127.0.0.1 -p "$pg_port" -U bench postgres >"$work/pgbench-init.log" 2>&1 \
  && ok "pgbench -i -s 3" || bad "pgbench -i: $(tail -1 "$work/pgbench-init.log")"
"$pgbin/pgbench" -T 4 -c 4 -j 2 -h 127.0.0.1 -p "$pg_port" -U bench postgres >"$work/pgbench.log" 2>&1 \
  && ok "pgbench run: $(grep -m1 '^tps' "$work/pgbench.log")" || bad "pgbench run: $(tail -1 "$work/pgbench.log")"
sleep 1
kill -TERM "$background_pid"
wait "$background_pid"
code=$?
background_pid=""
[[ $code -eq 0 ]] && ok "record stopped by SIGTERM exits 0" || bad "record exit $code: $(cat "$work/rec.err")"

[[ $(json "sorted(s)") == "['cache', 'db']" ]] && ok "both services in the summary" \
  || { bad "services: $(json "sorted(s)" 2>&1)"; finish; }
for svc in cache db; do
  samples=$(json "s['$svc']['samples']")
  ((samples >= 6)) && ok "$svc has $samples samples" || bad "$svc samples $samples (want >= 6)"
done
# Above the idle baseline by a margin the load must produce: redis holds
# tens of thousands of 512-byte values, postgres fills shared buffers and
# the page cache of its data files (~45 MB at scale 3).
peak_cache=$(json "s['cache']['memory']['peak_bytes']")
peak_db=$(json "s['db']['memory']['peak_bytes']")
((peak_cache >= idle_cache + 8 * 1048576)) && ok "cache peak $peak_cache > idle $idle_cache + 8 MiB" \
  || bad "cache peak $peak_cache vs idle $idle_cache"
((peak_db >= idle_db + 16 * 1048576)) && ok "db peak $peak_db > idle $idle_db + 16 MiB" \
  || bad "db peak $peak_db vs idle $idle_db"
((peak_cache <= 128 * 1048576 && peak_db <= 256 * 1048576)) && ok "peaks within the limits" \
  || bad "peaks above limits: cache $peak_cache db $peak_db"
[[ $(json "s['cache']['memory']['limit_bytes']") == $((128 * 1048576)) ]] && ok "cache limit 128 MiB recorded" \
  || bad "cache limit $(json "s['cache']['memory']['limit_bytes']")"
[[ $(sqlite3 "$work/rec.db" 'PRAGMA integrity_check') == ok ]] && ok "store integrity_check ok" || bad "integrity"

# ---- stackfit's working set vs docker stats --no-stream, quiet containers ----
# docker stats prints e.g. "21.47MiB / 128MiB" (4 significant digits); convert.
to_bytes() {
  /usr/bin/python3 -c "import re,sys; m=re.match(r'([0-9.]+)([KMGT]?i?B)', sys.argv[1]); u={'B':1,'KiB':1<<10,'MiB':1<<20,'GiB':1<<30,'TiB':1<<40}; print(int(float(m.group(1))*u[m.group(2)]))" "$1"
}
sleep 1
ours=$(top_reading)
stats=$(harness_docker "$state" stats --no-stream --format '{{.Name}} {{.MemUsage}}' \
  "$(compose ps -q cache)" "$(compose ps -q db)")
for svc in cache db; do
  mine=$(awk -v s="$svc" '$1 == s {print $2}' <<<"$ours")
  theirs_text=$(awk -v n="${project}_${svc}_1" '$1 == n {print $2}' <<<"$stats")
  if [[ -z $mine || -z $theirs_text ]]; then
    bad "$svc: no reading (stackfit '$ours', docker stats '$stats')"
    continue
  fi
  theirs=$(to_bytes "$theirs_text")
  diff=$((mine > theirs ? mine - theirs : theirs - mine))
  if ((diff <= 1048576 || diff * 100 <= theirs)); then
    ok "$svc working set $mine vs docker stats $theirs_text ($theirs; diff $diff bytes)"
  else
    bad "$svc working set $mine vs docker stats $theirs_text ($theirs; diff $diff bytes)"
  fi
done
finish
