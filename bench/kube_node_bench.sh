#!/usr/bin/env bash
# The node agent's own cost (docs/node-agent.md): a fake node of N pods as
# real cgroups (cgroup v1: memory, cpu, cpuacct; systemd driver names), each
# with two containers holding a `sleep` and a sandbox, the kubelet's log
# folders faked; `record --kube-node --listen` for D seconds at a 1 s
# interval, /metrics scraped every second. Prints the recorder's CPU time
# (user + system), its VmHWM, the µs per container per reading and the size
# of one /metrics page.
# usage: kube_node_bench.sh <stackfit> [pods=100] [seconds=30]     (as root)
set -euo pipefail
stackfit=$1
pods=${2:-100}
seconds=${3:-30}
[[ $(id -u) -eq 0 && -w /sys/fs/cgroup/memory ]] || { echo "needs root and cgroup v1" >&2; exit 1; }
work=$(mktemp -d /tmp/sfkbench.XXXXXX)
parent=stackfit-kbench-$$
sleepers=()
cleanup() {
  for p in "${sleepers[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for c in memory cpu cpuacct; do find "/sys/fs/cgroup/$c/$parent" -depth -type d -exec rmdir {} \; 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/pods" "$work/containers"
slice=kubepods.slice/kubepods-burstable.slice
for ((p = 0; p < pods; p++)); do
  uid=$(printf '%08x-0000-4000-8000-%012x' "$p" "$p")
  pod=web-5d9f8b7c6-$(printf 'b%04d' "$p" | tr '0-9' 'bcdfghjklm')
  for c in app sidecar sandbox; do
    id=$(printf '%s-%s' "$uid" "$c" | sha256sum | cut -c1-64)
    path=$slice/kubepods-burstable-pod${uid//-/_}.slice/cri-containerd-$id.scope
    for ctl in memory cpu cpuacct; do mkdir -p "/sys/fs/cgroup/$ctl/$parent/$path"; done
    if [[ $c != sandbox ]]; then
      sleep 3600 &
      sleepers+=($!)
      for ctl in memory cpu cpuacct; do echo $! >"/sys/fs/cgroup/$ctl/$parent/$path/cgroup.procs"; done
      mkdir -p "$work/pods/shop_${pod}_$uid/$c"
      ln -s "$work/pods/shop_${pod}_$uid/$c/0.log" "$work/containers/${pod}_shop_$c-$id.log"
    fi
  done
done
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
"$stackfit" record --kube-node --pods-log-dir "$work/pods" --containers-log-dir "$work/containers" --interval 1s \
  --duration "${seconds}s" --db "$work/node.db" --listen "127.0.0.1:$port" --format json >"$work/out.json" 2>"$work/err" &
agent=$!
bytes=0
for ((i = 0; i < seconds - 2; i++)); do
  sleep 1
  bytes=$(curl -s --noproxy '*' "http://127.0.0.1:$port/metrics" | wc -c)
done
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$agent/status")
ticks=$(awk '{ print $14 + $15 }' "/proc/$agent/stat")
wait $agent
containers=$((pods * 2))
samples=$(python3 -c "import sqlite3; print(sqlite3.connect('$work/node.db').execute('select count(*) from samples').fetchone()[0])")
cpu_ms=$((ticks * 1000 / $(getconf CLK_TCK)))
echo "pods $pods, containers $containers (+$pods sandboxes left out), ${seconds} s at 1 s: samples $samples," \
  "CPU ${cpu_ms} ms ($(python3 -c "print(round($cpu_ms * 1000 / max($samples, 1), 1))") µs per container per reading, scans and scrapes included)," \
  "VmHWM $hwm KiB, /metrics $bytes bytes"
