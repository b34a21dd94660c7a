#!/usr/bin/env bash
# Staged start-up proven on a constrained engine: the containers of a private
# dockerd (tests/docker/dockerd_harness.sh) run under a parent memory cgroup
# this test creates with a hard limit (cgroup v1, Compose `cgroup_parent`),
# standing in for a small VM. Three services run the host's python3: each
# touches a 200 MiB transient at start-up for 5 s, frees it, keeps 30 MiB,
# then reports healthy. One fits the limit, two at once do not.
#  1. started one at a time and recorded (`stackfit record --interval 100ms`);
#  2. `plan --startup --budget <the limit> --db` writes the override;
#  3. all at once under the limit: the kernel OOM-kills (>= 1 kill);
#  4. with the override: 0 kills, every service healthy.
# Kills are the `oom_kill` counters of memory.oom_control, read from the
# kernel for the parent and each container's cgroup (in cgroup v1 a kill
# counts in the victim's own cgroup). Each container's pid 1 is a shell that
# outlives a killed python3, so its cgroup (and counter) stays until `down`.
# usage: startup_constrained_test.sh <stackfit> <source-dir>     (as root)
set -uo pipefail
stackfit=$1
memcg_root=/sys/fs/cgroup/memory
if [[ ! -f $memcg_root/memory.limit_in_bytes || $(id -u) -ne 0 ]]; then
  echo "skipped: needs root and the cgroup v1 memory controller at $memcg_root"
  exit 77
fi
source "$2/tests/integration/record_common.sh" "$2" sfcons

limit_mib=400
parent=sfwaves-$$
parent_dir=$memcg_root/$parent
# The parent cgroup this test made, in every controller dockerd populated
# (rmdir removes only empty folders: never a cgroup still in use).
remove_parent() {
  local dir
  for dir in /sys/fs/cgroup/*/"$parent"; do
    [[ -d $dir ]] && rmdir "$dir" 2>/dev/null
  done
  return 0
}
trap 'cleanup; remove_parent' EXIT
mkdir "$parent_dir" || { bad "mkdir $parent_dir"; finish; }
echo $((limit_mib << 20)) >"$parent_dir/memory.limit_in_bytes" || { bad "memory limit"; finish; }
if [[ -f $parent_dir/memory.memsw.limit_in_bytes ]]; then
  echo $((limit_mib << 20)) >"$parent_dir/memory.memsw.limit_in_bytes" || { bad "memsw limit"; finish; }
fi

cat >"$work/compose.yml" <<YAML
version: "2.4"
x-starter: &starter
  image: stackfit-base:latest
  network_mode: none
  cgroup_parent: /$parent
  mem_limit: 300m
  stop_signal: SIGKILL
  volumes: ["/usr:/usr:ro"]
  command: ["sh", "-c", "python3 -c \"import time; b = bytearray(200 << 20); time.sleep(5); del b; k = bytearray(30 << 20); open('/tmp/ready', 'w').close(); time.sleep(1e6)\"; exec sleep 1000000"]
  healthcheck:
    test: ["CMD", "test", "-f", "/tmp/ready"]
    interval: 1s
    timeout: 1s
    retries: 60
services:
  alpha: *starter
  beta: *starter
  gamma: *starter
YAML

# The OOM kills the kernel counted under the parent: its own and its containers'.
oom_kills() {
  local file total=0 n
  for file in "$parent_dir/memory.oom_control" "$parent_dir"/*/memory.oom_control; do
    [[ -f $file ]] || continue
    n=$(awk '$1 == "oom_kill" {print $2}' "$file")
    total=$((total + ${n:-0}))
  done
  echo "$total"
}
# The containers of the project whose cgroup sits under the parent.
containers_under_parent() {
  local id n=0
  for id in $(harness_docker "$state" ps -q --no-trunc --filter label=com.docker.compose.project=sfcons); do
    [[ -d $parent_dir/$id ]] && n=$((n + 1))
  done
  echo "$n"
}

# ---- 1. one at a time, recorded ----------------------------------------------
"$stackfit" record -f "$work/compose.yml" -p sfcons --host "unix://$sock" --interval 100ms --db "$work/rec.db" \
  >"$work/record.out" 2>"$work/record.err" &
background_pid=$!
sleep 1
n=0
for service in alpha beta gamma; do
  n=$((n + 1))
  compose up -d --no-deps "$service" >"$work/up.log" 2>&1 || { bad "up $service: $(tail -1 "$work/up.log")"; finish; }
  wait_healthy "$n" || bad "one at a time: $service did not turn healthy"
done
sleep 2
kill -INT "$background_pid" 2>/dev/null
wait "$background_pid" 2>/dev/null
background_pid=""
[[ $(containers_under_parent) == 3 ]] && ok "containers run under the cgroup parent /$parent (limit $limit_mib MiB)" \
  || bad "containers under $parent_dir: $(containers_under_parent)"
recorded_kills=$(oom_kills)
[[ $recorded_kills == 0 ]] && ok "one at a time: 0 OOM kills" || bad "one at a time: $recorded_kills OOM kills"
compose down -t 0 >/dev/null 2>&1

# ---- 2. the plan from the recording --------------------------------------------
"$stackfit" plan --startup -f "$work/compose.yml" -p sfcons --budget "${limit_mib}Mi" --db "$work/rec.db" \
  --startup-window 8s --format json --write "$work/startup.yml" >"$work/plan.json" 2>"$work/plan.err"
code=$?
[[ $code -eq 0 ]] && ok "plan --startup exits 0 (staged start-up fits)" || bad "plan --startup exit $code: $(cat "$work/plan.err")"
pj() { /usr/bin/python3 -c "import json; d=json.load(open('$work/plan.json')); print($1)"; }
[[ $(pj "len(d['waves'])") == 3 && $(pj "sorted(set(s['source'] for s in d['services']))") == "['measured']" ]] \
  && ok "three waves from measured peaks: $(pj "[w['services'] for w in d['waves']]")" \
  || bad "waves: $(pj "[w['services'] for w in d['waves']]") sources $(pj "[s['source'] for s in d['services']]")"
[[ $(pj "d['all_at_once_fits']") == False ]] && ok "plan: all at once does not fit" || bad "all_at_once_fits"

# ---- 3. all at once under the limit ------------------------------------------
compose up -d >"$work/up.log" 2>&1 || { bad "compose up: $(tail -1 "$work/up.log")"; finish; }
for ((i = 0; i < 60; i++)); do  # <= 12 s: past every spike
  (($(oom_kills) > 0)) && break
  sleep 0.2
done
sleep 6
all_kills=$(oom_kills)
((all_kills >= 1)) && ok "all at once: $all_kills OOM kill(s) counted by the kernel" \
  || bad "all at once: no OOM kill under the $limit_mib MiB parent"
healthy=$(harness_docker "$state" ps -q --filter label=com.docker.compose.project=sfcons --filter health=healthy | wc -l)
((healthy < 3)) && ok "all at once: $healthy of 3 services healthy (the killed start-ups never finished)" \
  || bad "all at once: all 3 healthy despite $all_kills kill(s)"
compose down -t 0 >/dev/null 2>&1

# ---- 4. staged with the override ---------------------------------------------
echo 0 >"$parent_dir/memory.max_usage_in_bytes"  # the peak of this step only
DOCKER_HOST="unix://$sock" timeout 120 docker-compose -p sfcons -f "$work/compose.yml" -f "$work/startup.yml" \
  up -d >"$work/up2.log" 2>&1 || { bad "compose up with override: $(tail -1 "$work/up2.log")"; finish; }
wait_healthy 3 && ok "staged: all three services healthy" || bad "staged: services did not turn healthy"
staged_kills=$(oom_kills)
[[ $staged_kills == 0 ]] && ok "staged: 0 OOM kills" || bad "staged: $staged_kills OOM kills"
peak_mib=$(($(cat "$parent_dir/memory.max_usage_in_bytes") >> 20))
info "parent's peak usage while staged: $peak_mib MiB (limit $limit_mib MiB)"
[[ ${SF_SHOW:-} ]] && { pj "[(s['name'], s['wave'], s['startup_peak_bytes'] >> 20) for s in d['services']]"; cat "$work/startup.yml"; }
echo "figures: limit $limit_mib MiB, OOM kills one at a time $recorded_kills, all at once $all_kills, staged $staged_kills"
compose down -t 0 >/dev/null 2>&1
finish
