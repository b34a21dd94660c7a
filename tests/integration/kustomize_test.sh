#!/usr/bin/env bash
# `kubectl kustomize DIR | stackfit inspect -k - --format json` must report
# the workloads and per-container resources that kubectl kustomize rendered.
# The kustomize trees come from the real corpus (flattened names
# owner__repo/path__with__underscores), rebuilt as folders in a temp dir.
# The rendered YAML is read independently with python3 + PyYAML: workloads,
# containers, their roles and requests/limits (with the API server's
# request-from-limit defaulting) and the pod's effective values (the
# scheduler's init/sidecar fold), then compared field by field.
# usage: kustomize_test.sh <stackfit> <source-dir>
set -uo pipefail
stackfit=$1
corpus=$2/../shared/corpus/real
# shellcheck source=../testing/corpus.sh
source "$2/tests/testing/corpus.sh"
corpus_or_skip "$corpus"  # exit 77 (skipped) on a plain clone
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v kubectl >/dev/null || { echo "FAIL: kubectl not found"; exit 1; }
# Debian's python3 (with python3-yaml), not a pyenv shim from PATH.
python3() { /usr/bin/python3 "$@"; }
python3 -c 'import yaml' || { echo "FAIL: python3-yaml not installed"; exit 1; }

# copy_flat OWNER__REPO FLAT_NAME DEST_PATH: one corpus file into the tree.
copy_flat() {
  mkdir -p "$(dirname "$work/$3")"
  cp "$corpus/$1/$2" "$work/$3" || { echo "FAIL: corpus file $1/$2 missing"; exit 1; }
}

# --- 1Password operator: config/default = ../manager + sidecar patch --------
op=1Password__onepassword-operator
copy_flat $op config__default__kustomization.yaml onepassword/config/default/kustomization.yaml
copy_flat $op config__default__manager_auth_proxy_patch.yaml onepassword/config/default/manager_auth_proxy_patch.yaml
copy_flat $op config__manager__manager.yaml onepassword/config/manager/manager.yaml
# Not in the corpus: the ../crd and ../rbac bases (CRDs and RBAC, no
# workloads) are dropped from the resources list, and config/manager's own
# kustomization.yaml (upstream: resources: [manager.yaml]) is written here.
sed -i -e '/^- \.\.\/crd$/d' -e '/^- \.\.\/rbac$/d' "$work/onepassword/config/default/kustomization.yaml"
printf 'resources:\n- manager.yaml\n' >"$work/onepassword/config/manager/kustomization.yaml"

# --- microservices-demo: kustomize/base and base + memorystore component ----
md=GoogleCloudPlatform__microservices-demo
copy_flat $md kustomize__base__cartservice.yaml boutique/kustomize/base/cartservice.yaml
copy_flat $md kustomize__base__loadgenerator.yaml boutique/kustomize/base/loadgenerator.yaml
copy_flat $md kustomize__components__memorystore__kustomization.yaml \
  boutique/kustomize/components/memorystore/kustomization.yaml
# Not in the corpus: the other 9 base files and base/kustomization.yaml; the
# base here lists only the two files that are, and the top kustomization
# enables the memorystore component the way upstream's commented line does.
printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- cartservice.yaml\n- loadgenerator.yaml\n' \
  >"$work/boutique/kustomize/base/kustomization.yaml"
printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- base\ncomponents:\n- components/memorystore\n' \
  >"$work/boutique/kustomize/kustomization.yaml"

cat >"$work/compare.py" <<'PY'
"""Compares kubectl kustomize output (argv[1]) with stackfit's JSON (argv[2])."""
import json, math, re, sys
import yaml

BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}

def quantity(text, scale):
    """Kubernetes quantity times `scale`, rounded up (Value/MilliValue)."""
    from fractions import Fraction
    m = re.fullmatch(r"([+-]?[0-9.]+)([A-Za-z]*)", str(text))
    number, suffix = Fraction(m.group(1)), m.group(2)
    if suffix in BINARY:
        value = number * BINARY[suffix]
    elif re.fullmatch(r"[eE][+-]?\d+", suffix):
        value = number * Fraction(10) ** int(suffix[1:])
    else:
        value = number * Fraction(10) ** DECIMAL[suffix]
    return math.ceil(value * scale)

def container_values(c):
    res = c.get("resources") or {}
    req, lim = dict(res.get("requests") or {}), dict(res.get("limits") or {})
    for k, v in lim.items():          # API server: missing request = limit
        req.setdefault(k, v)
    out = {}
    for key, src, name, scale in (("mem_req", req, "memory", 1), ("mem_lim", lim, "memory", 1),
                                  ("cpu_req", req, "cpu", 1000), ("cpu_lim", lim, "cpu", 1000)):
        out[key] = quantity(src[name], scale) if name in src else None
    return out

def add(a, b):
    return b if a is None else a if b is None else a + b

def fold(containers):
    """Scheduler fold: max(apps + sidecars, each init + sidecars before it)."""
    pod = {}
    for key in ("mem_req", "mem_lim", "cpu_req", "cpu_lim"):
        apps = sidecars = peak = None
        for role, v in containers:
            x = v[key]
            if role == "app":
                apps = add(apps, x)
            elif role == "sidecar":
                apps, sidecars = add(apps, x), add(sidecars, x)
                step = sidecars
            else:
                step = add(x, sidecars)
            if role != "app" and step is not None and (peak is None or step > peak):
                peak = step
        pod[key] = apps if peak is None else peak if apps is None else max(apps, peak)
    return pod

def expected_workloads(path):
    out = {}
    for doc in yaml.safe_load_all(open(path)):
        if not doc or doc.get("kind") not in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job",
                                              "CronJob", "Pod", "ReplicationController"):
            continue
        kind, spec = doc["kind"], doc.get("spec") or {}
        pod = spec if kind == "Pod" else (spec["jobTemplate"]["spec"] if kind == "CronJob" else spec)
        pod = pod if kind == "Pod" else pod["template"]["spec"]
        containers = []
        for c in pod.get("initContainers") or []:
            containers.append(("sidecar" if c.get("restartPolicy") == "Always" else "init", c["name"],
                               container_values(c)))
        for c in pod["containers"]:
            containers.append(("app", c["name"], container_values(c)))
        if kind in ("Job", "CronJob"):  # pods at once: min(parallelism (1), completions)
            job = spec if kind == "Job" else spec["jobTemplate"]["spec"]
            replicas = min(job.get("parallelism", 1), job.get("completions") or job.get("parallelism", 1))
        else:
            replicas = 1 if kind in ("Pod", "DaemonSet") else spec.get("replicas", 1)
        out[doc["metadata"]["name"]] = {
            "kind": kind, "namespace": doc["metadata"].get("namespace", ""), "replicas": replicas,
            "containers": [(name, role, v) for role, name, v in containers],
            "pod": fold([(role, v) for role, _, v in containers]),
        }
    return out

def values_of(node):
    return {"mem_req": node["memory"]["request_bytes"], "mem_lim": node["memory"]["limit_bytes"],
            "cpu_req": node["cpu"]["request_millicores"], "cpu_lim": node["cpu"]["limit_millicores"]}

expected = expected_workloads(sys.argv[1])
actual = {s["name"]: s for s in json.load(open(sys.argv[2]))["services"]}
problems = []
if sorted(expected) != sorted(actual):
    problems.append(f"workloads: kustomize {sorted(expected)} vs stackfit {sorted(actual)}")
containers = 0
for name in sorted(set(expected) & set(actual)):
    e, a = expected[name], actual[name]
    for field in ("kind", "namespace", "replicas"):
        if e[field] != a[field]:
            problems.append(f"{name}.{field}: kustomize {e[field]!r} vs stackfit {a[field]!r}")
    if e["pod"] != values_of(a):
        problems.append(f"{name} pod: kustomize {e['pod']} vs stackfit {values_of(a)}")
    got = [(c["name"], c["role"], values_of(c)) for c in a["containers"]]
    if e["containers"] != got:
        problems.append(f"{name} containers: kustomize {e['containers']} vs stackfit {got}")
    containers += len(got)
for p in problems:
    print("  mismatch:", p)
print(f"{len(expected)} workloads, {containers} containers, {len(problems)} mismatches")
sys.exit(1 if problems else 0)
PY

failures=0
trees=0
workloads_checked=""
# check NAME DIR EXPECTED_WORKLOADS: render, pipe into stackfit, compare.
check() {
  local name=$1 dir=$2 want=$3
  trees=$((trees + 1))
  if ! kubectl kustomize "$work/$dir" >"$work/$name.yaml" 2>"$work/$name.err"; then
    echo "FAIL $name: kubectl kustomize: $(head -1 "$work/$name.err")"
    failures=$((failures + 1))
    return
  fi
  if ! "$stackfit" inspect -k - --format json <"$work/$name.yaml" >"$work/$name.json" 2>"$work/$name.serr"; then
    echo "FAIL $name: stackfit: $(head -1 "$work/$name.serr")"
    failures=$((failures + 1))
    return
  fi
  local result
  result=$(python3 "$work/compare.py" "$work/$name.yaml" "$work/$name.json")
  local code=$?
  local got
  got=$(python3 -c 'import json,sys; print(",".join(sorted(s["name"] for s in json.load(open(sys.argv[1]))["services"])))' "$work/$name.json")
  if [[ $code -ne 0 || "$got" != "$want" ]]; then
    echo "FAIL $name: $result; workloads '$got', wanted '$want'"
    failures=$((failures + 1))
  else
    echo "ok   $name: $(tail -1 <<<"$result")"
  fi
}

# The patch adds the kube-rbac-proxy container (5m/64Mi .. 500m/128Mi) to the
# manager Deployment, merged by container name.
check onepassword-default onepassword/config/default onepassword-connect-operator
check boutique-base boutique/kustomize/base cartservice,loadgenerator,redis-cart
# The memorystore component deletes redis-cart.
check boutique-memorystore boutique/kustomize cartservice,loadgenerator

# The patched manager must now have two app containers with the sidecar's values.
python3 - "$work/onepassword-default.json" <<'PY' || failures=$((failures + 1))
import json, sys
s = json.load(open(sys.argv[1]))["services"][0]
names = sorted(c["name"] for c in s["containers"])
ok = names == ["kube-rbac-proxy", "manager"] and s["memory"]["request_bytes"] == (128 + 64) * 2**20 \
    and s["cpu"]["limit_millicores"] == 1000
print(("ok  " if ok else "FAIL") + f" onepassword patch merged: containers {names}, pod memory request "
      f"{s['memory']['request_bytes']}, cpu limit {s['cpu']['limit_millicores']}m")
sys.exit(0 if ok else 1)
PY

echo "kustomize_test: $trees kustomize trees compared, $failures failures" \
  "(skipped: 1Password ../crd and ../rbac, 9 of 11 microservices-demo base files: not in the corpus)"
exit $((failures > 0))
