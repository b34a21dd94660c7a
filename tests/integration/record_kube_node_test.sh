#!/usr/bin/env bash
# `record --kube-node` on a fake Kubernetes node made of real cgroups (docs/node-agent.md).
#  1. Three pods as REAL cgroups (memory, cpu, cpuacct; cgroup v1 here) under a
#     parent of their own: shop/web-7d4b9c8f6d-x2k9p with the systemd driver's
#     names (burstable: app, sidecar, and the pod's sandbox), and with the
#     cgroupfs driver's names shop/web-7d4b9c8f6d-mq4zt (guaranteed: app) and
#     monitoring/node-exporter-x7k2p (besteffort: node-exporter). Each
#     container cgroup holds a python3 keeping a working set of its own size;
#     the sandbox a small sleep. The kubelet's log folders are faked in a
#     temporary folder: /var/log/pods/<ns>_<pod>_<uid>/<container>/0.log and
#     /var/log/containers/<pod>_<ns>_<container>-<id>.log symlinks (none for
#     the sandbox, as the kubelet writes none).
#  2. `record --kube-node --listen` for 10 s: the store keys each container as
#     project = namespace, service = <namespace>/<owner>/<container>, name =
#     <pod>/<container>;
#     /metrics labels it container, pod, namespace (cAdvisor's); the sandbox is
#     in neither.
#  3. A real Prometheus scrapes the agent; `history --prometheus` reads it
#     unchanged: the shop pods' containers as Kubernetes workloads, peaks
#     equal to the store's within one scrape's drift.
#  4. Bad input, recorded as uid 65534 (no root needed to read cgroups): an
#     unreadable pods folder (a file in its place: root reads a folder of mode
#     000) and a missing links folder: one line each on stderr, exit 0,
#     containers recorded by pod UID.
#  5. The agent in its own image (deploy/image, private dockerd), as the
#     DaemonSet runs it: uid 65534, read-only root and host mounts, no network.
# usage: record_kube_node_test.sh <stackfit> <source-dir>     (as root, cgroup v1)
set -uo pipefail
stackfit=$1
source_dir=$2
source "$source_dir/tests/testing/checks.sh"  # ok, bad, finish
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
if [[ $(id -u) -ne 0 || ! -w /sys/fs/cgroup/memory ]]; then
  echo "SKIP: needs root and a writable cgroup v1 memory controller"
  exit 77
fi
work=$(mktemp -d /tmp/sfkube.XXXXXX)
chmod 755 "$work"
parent=stackfit-kube-$$
id_of() { printf '%s' "$1-$$" | sha256sum | cut -c1-64; }
U1=5f0e2b7a-1c3d-4e5f-8a9b-0c1d2e3f4a5b
U2=0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d
U3=9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b
e1=${U1//-/_}
sd=kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$e1.slice
# name|namespace|pod|uid|container|cgroup below the parent|MiB ("sandbox": no log link)
containers=(
  "app|shop|web-7d4b9c8f6d-x2k9p|$U1|app|$sd/cri-containerd-$(id_of app).scope|24"
  "sidecar|shop|web-7d4b9c8f6d-x2k9p|$U1|sidecar|$sd/cri-containerd-$(id_of sidecar).scope|8"
  "sandbox|shop|web-7d4b9c8f6d-x2k9p|$U1|sandbox|$sd/cri-containerd-$(id_of sandbox).scope|0"
  "app2|shop|web-7d4b9c8f6d-mq4zt|$U2|app|kubepods/pod$U2/$(id_of app2)|16"
  "exporter|monitoring|node-exporter-x7k2p|$U3|node-exporter|kubepods/besteffort/pod$U3/$(id_of exporter)|6"
)
pids=()
prom_pid=
cleanup() {
  for p in "${pids[@]}" $prom_pid; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}" $prom_pid; do wait "$p" 2>/dev/null; done
  for c in memory cpu cpuacct; do
    # Deepest first: every cgroup folder under the parent, then the parent.
    find "/sys/fs/cgroup/$c/$parent" -depth -type d -exec rmdir {} \; 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
source "$source_dir/tests/testing/loopback.sh"

# ---- 1. the node -------------------------------------------------------------------
cat >"$work/load.py" <<'PY'
import os, sys, time
for d in sys.argv[2:]:
    with open(d + "/cgroup.procs", "w") as f:
        f.write(str(os.getpid()))
b = bytearray(int(sys.argv[1]) << 20)
for i in range(0, len(b), 4096):
    b[i] = 1
time.sleep(120)
PY
mkdir -p "$work/pods" "$work/containers"
for row in "${containers[@]}"; do
  IFS='|' read -r key ns pod uid name path mib <<<"$row"
  dirs=()
  for c in memory cpu cpuacct; do
    mkdir -p "/sys/fs/cgroup/$c/$parent/$path"
    dirs+=("/sys/fs/cgroup/$c/$parent/$path")
  done
  python3 "$work/load.py" "$mib" "${dirs[@]}" &
  pids+=($!)
  [[ $key == sandbox ]] && continue
  cid=${path##*[-/]}
  mkdir -p "$work/pods/${ns}_${pod}_${uid}/$name"
  : >"$work/pods/${ns}_${pod}_${uid}/$name/0.log"
  ln -s "$work/pods/${ns}_${pod}_${uid}/$name/0.log" "$work/containers/${pod}_${ns}_${name}-${cid%.scope}.log"
done
ok "node: 3 pods, 5 container cgroups (systemd and cgroupfs names) under /$parent, $(ls "$work/containers" | wc -l) log links"

# ---- 2. record --kube-node --listen ---------------------------------------------
port=$(free_port)
prom_port=$(free_port)
cat >"$work/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 900ms
scrape_configs:
  - job_name: stackfit-node-agent
    static_configs:
      - targets: ["127.0.0.1:$port"]
YML
if command -v prometheus >/dev/null; then
  prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
    --web.listen-address=127.0.0.1:$prom_port >"$work/prometheus.log" 2>&1 &
  prom_pid=$!
fi
start_s=$(date +%s)
"$stackfit" record --kube-node --cgroup-root /sys/fs/cgroup --pods-log-dir "$work/pods" \
  --containers-log-dir "$work/containers" --interval 1s --duration 12s --db "$work/node.db" \
  --listen "127.0.0.1:$port" --format json >"$work/out.json" 2>"$work/record.err" &
recorder=$!
pids+=($recorder)
wait_ready "http://127.0.0.1:$port/metrics" && sleep 3
curl -sf --noproxy '*' "http://127.0.0.1:$port/metrics" >"$work/metrics.txt"
# The agent's own cost so far: peak RSS and CPU time (user + system, clock ticks).
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$recorder/status" 2>/dev/null)
ticks=$(awk '{ print $14 + $15 }' "/proc/$recorder/stat" 2>/dev/null)
wait $recorder
code=$?
[[ $code -eq 0 && $(grep -vc '^stackfit: serving' "$work/record.err") -eq 0 ]] \
  && ok "record --kube-node exit $code, stderr only the serving line" || bad "record exit $code: $(head -2 "$work/record.err")"

keys=$(python3 - "$work/node.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
rows = db.execute("SELECT c.project, c.service, c.name, count(s.time_ns) FROM containers c "
                  "LEFT JOIN samples s ON s.container_key = c.key GROUP BY c.key ORDER BY c.name").fetchall()
print("; ".join(f"{p}|{s}|{n}|{'samples' if k >= 5 else k}" for p, s, n, k in rows))
PY
)
want="monitoring|monitoring/node-exporter/node-exporter|node-exporter-x7k2p/node-exporter|samples; shop|shop/web/app|web-7d4b9c8f6d-mq4zt/app|samples; shop|shop/web/app|web-7d4b9c8f6d-x2k9p/app|samples; shop|shop/web/sidecar|web-7d4b9c8f6d-x2k9p/sidecar|samples"
[[ $keys == "$want" ]] && ok "store keys (project|service|name): $keys" \
  || bad "store keys: '$keys', want '$want'"

ws_of() { # container pod: the working set /metrics gave it, in MiB
  awk -v c="$1" -v p="$2" -F'[{} ]' '$1 == "container_memory_working_set_bytes" &&
    index($2, "container=\"" c "\",pod=\"" p "\",namespace=") == 1 { printf "%d", $NF / 1048576 }' "$work/metrics.txt"
}
line=$(grep "^container_memory_working_set_bytes{container=\"app\",pod=\"web-7d4b9c8f6d-x2k9p\",namespace=\"shop\",id=\"/$parent/$sd/cri-containerd-$(id_of app).scope\"}" "$work/metrics.txt")
app=$(ws_of app web-7d4b9c8f6d-x2k9p)
side=$(ws_of sidecar web-7d4b9c8f6d-x2k9p)
exporter=$(ws_of node-exporter node-exporter-x7k2p)
series=$(grep -c '^container_memory_working_set_bytes{' "$work/metrics.txt")
[[ -n $line && $series -eq 4 && ${app:-0} -ge 24 && ${side:-0} -ge 8 && ${exporter:-0} -ge 6 ]] \
  && ok "/metrics: 4 containers labelled container/pod/namespace/id (no sandbox); working sets app ${app} MiB, sidecar ${side} MiB, node-exporter ${exporter} MiB" \
  || bad "/metrics: $series series, app '${app}' sidecar '${side}' exporter '${exporter}': $(grep -m2 '^container_memory_working_set_bytes{' "$work/metrics.txt")"
grep -q "$(id_of sandbox)" "$work/metrics.txt" && bad "the sandbox is exported" || true
info "the agent after ~5 s with 4 containers: VmHWM ${hwm:-?} KiB, CPU $((${ticks:-0} * 1000 / $(getconf CLK_TCK))) ms (in clock ticks of $((1000 / $(getconf CLK_TCK))) ms)"
summary=$(python3 -c "import json; d=json.load(open('$work/out.json')); print(' '.join(sorted(f\"{s['project']}:{s['name']}\" for s in d['services'])))" 2>&1)
[[ $summary == "monitoring:monitoring/node-exporter/node-exporter shop:shop/web/app shop:shop/web/sidecar" ]] && ok "record's summary: $summary" \
  || bad "record's summary: $summary"

# recommend --db reads the agent's store per service: a Deployment's replicas together.
"$stackfit" recommend --db "$work/node.db" --since 10m --strategy peak --points-required 5 --format json \
  >"$work/rec.json" 2>"$work/rec.err"
code=$?
rec=$(python3 -c "
import json
for s in sorted(json.load(open('$work/rec.json'))['services'], key=lambda s: s['name']):
    print(s['name'], (s['memory']['limit_bytes'] or 0) >> 20, end='; ')" 2>&1)
[[ $code -eq 0 && $rec == "monitoring/node-exporter/node-exporter "*"; shop/web/app "*"; shop/web/sidecar "*"; " ]] \
  && ok "recommend --db on the agent's store (service, MiB limit): $rec" || bad "recommend --db: exit $code: $rec $(head -1 "$work/rec.err")"

# ---- 3. a real Prometheus reads the agent as cAdvisor -----------------------------
if [[ -z $prom_pid ]]; then
  info "no prometheus binary: the Prometheus part is not run"
elif ! wait_ready "http://127.0.0.1:$prom_port/-/ready"; then
  bad "prometheus did not become ready: $(tail -2 "$work/prometheus.log")"
else
  sleep 2
  "$stackfit" history --prometheus "http://127.0.0.1:$prom_port" --start "$((start_s - 2))" --end "$(date +%s)" \
    --step 1s --no-progress --format json >"$work/hist.json" 2>"$work/hist.err"
  code=$?
  detail=$(python3 - "$work/hist.json" "$work/node.db" <<'PY'
import json, sqlite3, sys
w = json.load(open(sys.argv[1]))["workloads"]
db = sqlite3.connect(f"file:{sys.argv[2]}?mode=ro", uri=True)
peaks = dict(db.execute("SELECT c.name, max(s.working_set_bytes) FROM containers c JOIN samples s "
                        "ON s.container_key = c.key GROUP BY c.name"))
got = sorted(f"{x['namespace']}/{x['kind']}/{x['name']}/{x['container']}" for x in w)
want = sorted(["shop/Pod/web-7d4b9c8f6d-x2k9p/app", "shop/Pod/web-7d4b9c8f6d-x2k9p/sidecar",
               "shop/Pod/web-7d4b9c8f6d-mq4zt/app", "monitoring/Pod/node-exporter-x7k2p/node-exporter"])
bad = [] if got == want else [f"workloads {got}"]
for x in w:
    store = peaks.get(f"{x['name']}/{x['container']}", 0)
    p = x["memory"]["peak_bytes"]
    if not (store - (1 << 20) <= p <= store):
        bad.append(f"{x['name']}/{x['container']}: peak {p}, store {store}")
print("; ".join(bad) if bad else ", ".join(f"{g}" for g in got) + f" (peaks = store's within 1 MiB)")
sys.exit(1 if bad else 0)
PY
)
  [[ $code -eq 0 && $? -eq 0 ]] && ok "history --prometheus reads the agent unchanged: $detail" \
    || bad "history --prometheus: exit $code: $detail $(head -1 "$work/hist.err")"
fi

# ---- 4. the log folders unreadable ------------------------------------------------
# Run as uid/gid 65534 (nobody), as the DaemonSet does: reading cgroups needs no root.
: >"$work/pods-file"
mkdir -m 0777 "$work/nobody"
setpriv --reuid 65534 --regid 65534 --clear-groups -- "$stackfit" record --kube-node --cgroup-root /sys/fs/cgroup \
  --pods-log-dir "$work/pods-file" --containers-log-dir "$work/no-such" --interval 1s --duration 3s \
  --db "$work/nobody/bare.db" --format json >"$work/bare.json" 2>"$work/bare.err"
code=$?
want_err="stackfit: $work/pods-file: opendir: Not a directory; pods are named by their UID only
stackfit: $work/no-such: no such folder; containers are named by their ID's first 12 digits"
services=$(python3 -c "import json; print(' '.join(sorted(s['name'] for s in json.load(open('$work/bare.json'))['services'])))")
want_services=$(for row in "${containers[@]}"; do
  IFS='|' read -r key ns pod uid name path mib <<<"$row"
  cid=${path##*[-/]}
  echo "$uid/${cid:0:12}"
done | sort | tr '\n' ' ')
[[ $code -eq 0 && $(cat "$work/bare.err") == "$want_err" && "$services " == "$want_services" ]] \
  && ok "as nobody, unreadable log folders: exit 0, one line each, 5 containers (sandbox included) by pod UID: $services" \
  || bad "unreadable log folders: exit $code, '$(cat "$work/bare.err")', services '$services', want '$want_services'"
# ---- 5. the agent in its image, as the DaemonSet runs it ---------------------------
# deploy/image's FROM-scratch image on a private dockerd: uid 65534, read-only
# root, no network, the host's /sys/fs/cgroup and the log folders mounted
# read-only at /host/..., the store on a writable mount (the emptyDir).
harness=$source_dir/tests/docker/dockerd_harness.sh
state=/tmp/sfkube-d.$$
if ! command -v dockerd >/dev/null; then
  info "image part skipped: no dockerd"
elif ! "$harness" start "$state" 2>"$work/harness.err"; then
  bad "private dockerd: $(cat "$work/harness.err")"
else
  trap 'cleanup; "$harness" stop "$state"; rm -rf "$state"' EXIT
  export DOCKER=/usr/bin/docker DOCKER_HOST="unix://$state/docker.sock" DOCKER_CONFIG="$state/cli"
  mkdir -m 0777 "$work/store"
  if "$source_dir/deploy/image/build_image.sh" "$stackfit" stackfit-node-agent:test >/dev/null 2>"$work/build.err"; then
    $DOCKER run --rm --network none --read-only \
      -v /sys/fs/cgroup:/host/sys/fs/cgroup:ro -v "$work/pods:/host/var/log/pods:ro" \
      -v "$work/containers:/host/var/log/containers:ro" -v "$work/store:/var/lib/stackfit" \
      stackfit-node-agent:test record --kube-node --cgroup-root /host/sys/fs/cgroup \
      --pods-log-dir /host/var/log/pods --containers-log-dir /host/var/log/containers --interval 1s --duration 3s \
      --db /var/lib/stackfit/node.db --format json >"$work/image.json" 2>"$work/image.err"
    code=$?
    got=$(python3 -c "import json; print(' '.join(sorted(s['project'] + ':' + s['name'] for s in json.load(open('$work/image.json'))['services'])))" 2>&1)
    [[ $code -eq 0 && $got == "monitoring:monitoring/node-exporter/node-exporter shop:shop/web/app shop:shop/web/sidecar" && ! -s $work/image.err ]] \
      && ok "in its image (uid 65534, read-only root and mounts, no network): $got" \
      || bad "agent in its image: exit $code, '$got': $(head -2 "$work/image.err")"
  else
    bad "build_image.sh: $(tail -1 "$work/build.err")"
  fi
fi

"$stackfit" record --kube-node --all --duration 1s --db "$work/x.db" >/dev/null 2>"$work/usage.err"
code=$?
[[ $code -eq 2 && $(cat "$work/usage.err") == "stackfit: --kube-node: records the node's pods from their cgroups; it takes no --project or --all" && ! -e $work/x.db ]] \
  && ok "--kube-node --all: exit 2, one line, no store" || bad "--kube-node --all: exit $code: $(cat "$work/usage.err")"
finish
