#!/usr/bin/env bash
# `stackfit record`, `top` and `verify` against a REAL Podman: Debian's podman
# 4.3 as a private rootful API service (tests/podman/podman_harness.sh: own
# socket, storage, run root, tmp dir under a /tmp state dir; vfs, cgroupfs
# manager, cgroup v1 here), driven by Debian's docker-compose 1.29 through
# DOCKER_HOST=unix://<state>/podman.sock. No pulls: the base image is
# `podman import`ed from busybox-static. Containers (network_mode: none):
#   web    sleep under mem_limit 64m, mem_reservation 32m, cpus 0.5
#   cache  8 MiB of anonymous memory plus 24 MiB of page cache (a file in /tmp)
#   child  a child python3 is OOM-killed, the container's shell lives on
#   main   the main process (python3) is OOM-killed: the container exits 137
#   late   started and removed while record runs
# Checks: negotiation and inspect through the compat API, discovery by the
# Compose project label, declared limits, the working set against Podman's
# own stats (and why they differ: docs/engine.md), OOM kills, start/stop
# during recording, verify, top, and that nothing of ours is left afterwards.
# usage: record_podman_test.sh <stackfit> <source-dir>     (as root)
set -uo pipefail
stackfit=$1
source_dir=$2
probe="$(dirname "$stackfit")/tests/integration/engine_probe"
source "$source_dir/tests/podman/podman_harness.sh"
source "$source_dir/tests/testing/checks.sh"
json() { record_json "$@"; }

project="sfpod$$"
state=$(mktemp -d /tmp/sfpod.XXXXXX)
work=$(mktemp -d /tmp/sfpodw.XXXXXX)
chmod 0755 "$work"
sock="$state/podman.sock"
background_pid=""

compose() { DOCKER_HOST="unix://$sock" timeout 60 docker-compose -p "$project" -f "$work/compose.yml" "$@"; }
# A service's container id (Compose 1.29 names it <project>_<service>_1);
# the podman CLI answers in a fraction of `docker-compose ps`' time.
cid() { pm_podman "$state" inspect --format '{{.Id}}' "${project}_$1_1"; }
cleanup() {
  [[ -n $background_pid ]] && kill "$background_pid" 2>/dev/null
  [[ -S $sock ]] && compose down -t 0 >/dev/null 2>&1
  pm_stop "$state"
  rm -rf "$state" "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# |a - b| <= max(1 MiB, 1% of b)
close_enough() {
  local a=$1 b=$2 diff
  diff=$((a > b ? a - b : b - a))
  ((diff <= 1048576 || diff * 100 <= b))
}

[[ -x $probe ]] || { bad "engine_probe not built next to $stackfit"; finish; }
command -v podman >/dev/null || { bad "podman not installed (scripts/setup.sh)"; finish; }
t0=$SECONDS
pm_start "$state" && ok "podman system service answers /_ping ($((SECONDS - t0)) s)" || { bad "podman service start"; finish; }
pm_base_image "$state" && ok "base image imported (podman import, no pull)" || { bad "base image import"; finish; }

# child and main allocate once the test touches go/now, inside the recording.
mkdir -p "$work/go"
cat >"$work/compose.yml" <<'YAML'
version: "2.4"
services:
  web:
    image: stackfit-base:latest
    command: ["sleep", "600"]
    network_mode: none
    stop_signal: SIGKILL
    mem_limit: 64m
    mem_reservation: 32m
    cpus: 0.5
    volumes: ["/usr:/usr:ro"]
  cache:
    image: stackfit-base:latest
    command: ["sh", "-c", "dd if=/dev/zero of=/tmp/fill bs=1M count=24 2>/dev/null; exec python3 -c 'import time; b = bytearray(8 << 20); time.sleep(600)'"]
    network_mode: none
    stop_signal: SIGKILL
    mem_limit: 128m
    volumes: ["/usr:/usr:ro"]
  child:
    image: stackfit-base:latest
    command: ["sh", "-c", "until [ -e /go/now ]; do sleep 0.1; done; python3 -c 'b = bytearray(200 << 20)'; sleep 600"]
    network_mode: none
    stop_signal: SIGKILL
    mem_limit: 32m
    memswap_limit: 32m
    volumes: ["/usr:/usr:ro", "./go:/go:ro"]
  main:
    image: stackfit-base:latest
    command: ["python3", "-c", "import os, time\nwhile not os.path.exists('/go/now'): time.sleep(0.1)\nb = bytearray(200 << 20)"]
    network_mode: none
    mem_limit: 32m
    memswap_limit: 32m
    volumes: ["/usr:/usr:ro", "./go:/go:ro"]
  late:
    image: stackfit-base:latest
    command: ["sleep", "600"]
    network_mode: none
    stop_signal: SIGKILL
    mem_limit: 48m
    volumes: ["/usr:/usr:ro"]
YAML
compose up -d web cache child main >"$work/up.log" 2>&1 && ok "docker-compose 1.29 up through the Podman socket" \
  || { bad "compose up: $(tail -1 "$work/up.log")"; finish; }

# ---- the compat API as the client understands it ---------------------------
version=$("$probe" "$sock" version 2>&1)
[[ $version == 1.41 ]] && ok "API version negotiated: $version" || bad "version: $version"
web_id=$(cid web)
listed=$("$probe" "$sock" list "$project" 2>&1)
[[ $(wc -l <<<"$listed") -ge 3 && $listed == *"$web_id"* ]] && ok "project label filter lists $(wc -l <<<"$listed") containers" \
  || bad "list: $listed"
"$probe" "$sock" inspect "$web_id" >"$work/web.txt" 2>&1
expect_web="project=$project service=web number=1 memory_limit=67108864 memory_request=33554432 cpu_limit=500"
got_web=$(grep -E '^(project|service|number|memory_limit|memory_request|cpu_limit)=' "$work/web.txt" | tr '\n' ' ')
[[ $got_web == "$expect_web " ]] && ok "inspect: labels and declared limits ($expect_web)" || bad "inspect: $got_web"
pid=$(sed -n 's/^pid=//p' "$work/web.txt")
real_pid=$(pm_podman "$state" inspect --format '{{.State.Pid}}' "$web_id")
web_cgroup=$(sed -n 's/^[0-9]*:memory://p' "/proc/$pid/cgroup" 2>/dev/null)
[[ $pid == "$real_pid" && $web_cgroup == "/libpod_parent/libpod-$web_id" ]] \
  && ok "State.Pid $pid, cgroup $web_cgroup (cgroupfs manager)" || bad "pid $pid vs $real_pid, cgroup '$web_cgroup'"

# ---- record, with a container started and removed during it ----------------
db="$work/rec.db"
record_since=$(date +%s)
"$stackfit" record --project "$project" --host "unix://$sock" --interval 250ms \
  --db "$db" --format json >"$work/out.json" 2>"$work/rec.err" &
background_pid=$!
# The OOM kills and the late container come once record samples (on a busy
# machine its start-up can take a while).
for ((i = 0; i < 150; i++)); do
  [[ $(sqlite3 "$db" 'SELECT count(*) FROM samples' 2>/dev/null) -gt 0 ]] && break
  sleep 0.1
done
touch "$work/go/now"
compose up -d late >"$work/late.log" 2>&1 || bad "compose up late: $(tail -1 "$work/late.log")"
sleep 2.5
compose rm -sf late >"$work/late.log" 2>&1 || bad "compose rm late: $(tail -1 "$work/late.log")"
sleep 1.5
kill -TERM "$background_pid"
wait "$background_pid"
code=$?
background_pid=""
[[ $code -eq 0 ]] && ok "record stopped by SIGTERM exits 0" || { bad "record exit $code: $(cat "$work/rec.err")"; finish; }

services=$(json "sorted(s)")
[[ $services == "['cache', 'child', 'late', 'main', 'web']" ]] && ok "services recorded: $services" || bad "services: $services"
[[ $(json "s['web']['memory']['limit_bytes']") == 67108864 ]] && ok "web limit 64 MiB from inspect" \
  || bad "web limit $(json "s['web']['memory']['limit_bytes']")"
[[ $(sqlite3 "$db" "SELECT mem_request_bytes, cpu_limit_millicores FROM containers WHERE service='web'") == "33554432|500" ]] \
  && ok "web request 32 MiB and 500m in the store" || bad "web store row: $(sqlite3 "$db" "SELECT * FROM containers WHERE service='web'")"
samples=$(json "s['web']['samples']")
((samples >= 16)) && ok "web has $samples samples" || bad "web samples $samples (want >= 16)"
child_ooms=$(json "s['child']['oom_kills']")
((child_ooms >= 1)) && ok "child: OOM kill of a child process recorded ($child_ooms, cgroup oom_kill counter)" \
  || bad "child oom_kills $child_ooms"
[[ $(json "s['web']['oom_kills']") == 0 ]] && ok "web has no OOM kill" || bad "web oom_kills $(json "s['web']['oom_kills']")"
events() { sqlite3 "$db" "SELECT group_concat(kind || coalesce(':' || exit_code, ''), ' ') FROM (SELECT e.kind, e.exit_code FROM events e JOIN containers c ON c.key = e.container_key WHERE c.service = '$1' ORDER BY e.time_ns)"; }
main_events=$(events main)
[[ $main_events == *"die:137"* ]] && ok "main: die with exit code 137 recorded ($main_events)" || bad "main events: '$main_events'"
info "main (main process OOM-killed): oom_kills=$(json "s['main']['oom_kills']") from the counter; Podman sent no oom event and State.OOMKilled=$(pm_podman "$state" inspect --format '{{.State.OOMKilled}}' "$(cid main)")"
late_events=$(events late)
# Podman removes the cgroup before it streams the die (under load): the
# recorder still stores a closed container's events until its destroy.
[[ $late_events == "start die:137 destroy" ]] && ok "late: start, die and destroy (Podman's remove) recorded" \
  || bad "late events: '$late_events'"
# The client maps Podman's own names (remove -> destroy) and ends a replay on
# Podman (stream=false; a past `until` ends Podman's stream before any event).
"$probe" "$sock" events "$record_since" 0 >"$work/replay.txt" 2>&1
late_id=$(sqlite3 "$db" "SELECT engine_id FROM containers WHERE service = 'late'")
late_replay=$(awk -v id="$late_id" '$2 == id {printf "%s%s ", $1, ($3 == "-" ? "" : ":" $3)}' "$work/replay.txt")
[[ $late_replay == "start die:137 destroy " ]] && ok "events replay (timeout 0) of late: $late_replay" \
  || bad "replay of late: '$late_replay' ($(head -2 "$work/replay.txt"))"
late_samples=$(json "s['late']['samples']")
((late_samples >= 4)) && ok "late sampled while it ran ($late_samples samples)" || bad "late samples $late_samples"
oom_events=$(sqlite3 "$db" "SELECT count(*) FROM events WHERE kind = 'oom'")
info "oom events from Podman during the recording: $oom_events"
[[ $(sqlite3 "$db" 'PRAGMA integrity_check') == ok ]] && ok "store integrity_check ok" || bad "integrity"

# ---- working set vs Podman's stats ------------------------------------------
# Ours: `top` (plain lines when not a terminal). Podman's: the compat
# /containers/{id}/stats (what `docker stats` reads) and libpod's stats (what
# `podman stats` reads). total_inactive_file from the container's memory.stat.
"$stackfit" top --project "$project" --host "unix://$sock" --interval 200ms --duration 300ms </dev/null >"$work/top.txt" 2>&1
[[ $(grep -c "service=" "$work/top.txt") -ge 3 ]] && ok "top lists the running services" || bad "top: $(head -3 "$work/top.txt")"
top_ws() { sed -n "s/.*service=$1 .*working_set_bytes=\([0-9]*\).*/\1/p" "$work/top.txt" | tail -1; }
for svc in web cache; do
  id=$(cid "$svc")
  compat=$(curl -s --unix-socket "$sock" "http://localhost/v1.41/containers/$id/stats?stream=false" |
    /usr/bin/python3 -c "import json,sys; m=json.load(sys.stdin)['memory_stats']; print(m['usage'], len(m.get('stats') or {}))")
  libpod=$(curl -s --unix-socket "$sock" "http://localhost/v4.3.1/libpod/containers/stats?containers=$id&stream=false" |
    /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['Stats'][0]['MemUsage'])")
  cg=$(sed -n 's/^[0-9]*:memory://p' "/proc/$(pm_podman "$state" inspect --format '{{.State.Pid}}' "$id")/cgroup")
  inactive=$(sed -n 's/^total_inactive_file //p' "/sys/fs/cgroup/memory$cg/memory.stat")
  ours=$(top_ws "$svc")
  usage=${compat% *}
  [[ ${compat#* } == 0 ]] && ok "$svc: compat stats memory_stats has no 'stats' map (usage and limit only)" \
    || bad "$svc: compat memory_stats has ${compat#* } stats keys"
  close_enough "$libpod" "$usage" && ok "$svc: podman stats (libpod) $libpod = compat usage $usage" \
    || bad "$svc: libpod $libpod vs compat $usage"
  if [[ -n $ours ]] && close_enough "$ours" "$((usage - inactive))"; then
    ok "$svc: working set $ours = Podman usage $usage - total_inactive_file $inactive"
  else
    bad "$svc: working set '$ours' vs usage $usage - inactive $inactive"
  fi
  info "$svc: Podman's usage - our working set = $((usage - ${ours:-0})) bytes (total_inactive_file $inactive)"
  if [[ $svc == cache ]]; then
    ((usage - ${ours:-0} >= 20 * 1048576)) \
      && ok "cache: Podman's figure includes the 24 MiB page cache, ours not ($usage vs $ours)" \
      || bad "cache: Podman $usage vs ours '$ours' (want >= 20 MiB apart)"
  fi
done

# ---- verify: the running containers carry the declared limits --------------
# web, cache and child run now (main exited, late is gone): a file declaring
# just those matches; one with web's limit changed does not.
/usr/bin/python3 - "$work" <<'PY'
import sys, yaml
work = sys.argv[1]
doc = yaml.safe_load(open(f"{work}/compose.yml"))
for gone in ("main", "late"):
    del doc["services"][gone]
yaml.safe_dump(doc, open(f"{work}/verify.yml", "w"))
doc["services"]["web"]["mem_limit"] = "96m"
yaml.safe_dump(doc, open(f"{work}/verify_bad.yml", "w"))
PY
out=$("$stackfit" verify -f "$work/verify.yml" -p "$project" --host "unix://$sock" 2>&1)
code=$?
[[ $code -eq 0 && $out == "stackfit verify: project $project: 3 running containers carry"* ]] \
  && ok "verify: 3 running containers carry the declared limits" || bad "verify exit $code: $out"
out=$("$stackfit" verify -f "$work/verify_bad.yml" -p "$project" --host "unix://$sock" 2>&1)
code=$?
[[ $code -eq 1 && $out == *"MISMATCH (1 differing value"* ]] && ok "verify: a changed mem_limit is a mismatch (exit 1)" \
  || bad "verify of a changed limit: exit $code: $(head -3 <<<"$out")"

# ---- nothing of ours is left -----------------------------------------------
ids=$(pm_container_ids "$state")
compose down -t 0 >/dev/null 2>&1
pm_stop "$state"
# "[/]": the pattern does not match grep's own command line.
left_pids=$(grep -lsaE -- "$(printf '%s' "$state" | sed 's/[][\.*^$+?(){}|]/\\&/g')[/]" /proc/[0-9]*/cmdline |
  sed 's,^/proc/\([0-9]*\)/cmdline,\1,' | grep -vx -e "$$" -e "$BASHPID")
left=$(grep -c . <<<"$left_pids")
[[ -n $left_pids ]] && info "left: $(for p in $left_pids; do tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | head -c 200; echo; done)"
mounts=$(grep -cF -- "$state/" /proc/self/mounts)
cgroups=0
for id in $ids; do ls -d /sys/fs/cgroup/*/libpod_parent/libpod-"$id" >/dev/null 2>&1 && cgroups=$((cgroups + 1)); done
((left == 0 && mounts == 0 && cgroups == 0)) && ok "after stop: no process, mount or cgroup of ours left" \
  || bad "after stop: $left processes, $mounts mounts, $cgroups cgroups left"
info "total $((SECONDS - t0)) s"
finish
