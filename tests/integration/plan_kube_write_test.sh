#!/usr/bin/env bash
# `stackfit plan -k --option ID --write FILE` on a kustomize tree made of a
# real corpus file (the OpenTelemetry demo's manifests, copied, never edited)
# and one manifest of ours (an optional workload, for option B): the patch
# goes into the kustomization, the real `kubectl kustomize` renders it, the
# rendered containers carry the split values (worked out here from the
# manifests with python3 + PyYAML, not copied from stackfit), and
# `stackfit inspect -k -` / `plan -k -` of the rendered output show the
# planned totals. Plus cluster options A/B re-packed, and the refusals.
# usage: plan_kube_write_test.sh <stackfit> <source-dir>
set -uo pipefail
stackfit=$1
src=$2
corpus=$src/../shared/corpus/real
# shellcheck source=../testing/corpus.sh
source "$src/tests/testing/corpus.sh"
corpus_or_skip "$corpus"  # exit 77 (skipped) on a plain clone
work=$(mktemp -d /tmp/stackfit-plankw.XXXXXX)
trap '[[ -n "${KEEP:-}" ]] || rm -rf "$work"' EXIT
PY=/usr/bin/python3
passed=0
failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
bad() { echo "FAIL - $1"; failed=$((failed + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
command -v kubectl >/dev/null || { echo "FAIL: kubectl not found"; exit 1; }
$PY -c 'import yaml' || { echo "FAIL: python3-yaml not installed"; exit 1; }
MiB=1048576

# json FILE EXPR: evaluate EXPR over j = the JSON in FILE, print the result
json() { $PY -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

# --- the tree ----------------------------------------------------------------
tree=$work/tree
mkdir -p "$tree"
cp "$corpus/open-telemetry__opentelemetry-demo/kubernetes__opentelemetry-demo.yaml" "$tree/otel.yaml"
cat >"$tree/extras.yaml" <<'YML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: load-test
  labels: {stackfit.priority: optional}
spec:
  replicas: 2
  selector: {matchLabels: {app: load-test}}
  template:
    metadata: {labels: {app: load-test}}
    spec:
      initContainers:
        - {name: wait, image: busybox, resources: {limits: {memory: 64Mi}}}
      containers:
        - {name: locust, image: locust, resources: {requests: {memory: 256Mi}, limits: {memory: 768Mi}}}
        - {name: exporter, image: exporter, resources: {requests: {memory: 64Mi}, limits: {memory: 256Mi}}}
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
  annotations: {stackfit.priority: optional}
spec:
  schedule: "@hourly"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - {name: report, image: busybox, resources: {limits: {memory: 512Mi}}}
YML
printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- otel.yaml\n- extras.yaml\n' \
  >"$tree/kustomization.yaml"

"$stackfit" inspect -k "$tree" --format json >"$work/inspect.json" 2>"$work/err" || bad "inspect the tree: $(cat "$work/err")"
committed=$(json "$work/inspect.json" "j['totals']['memory']['committed_bytes']")

# Pod-level recommendations (container ""): grafana's four containers and
# flagd's two are split in proportion to their declared limits.
cat >"$work/rec.json" <<JSON
{"schema": "stackfit.recommend/1", "strategy": "peak", "profile": "prod", "services": [
 {"name": "grafana", "kind": "Deployment", "namespace": "", "container": "", "status": "ok", "confidence": 0.9,
  "memory": {"request_bytes": null, "limit_bytes": $((225 * MiB))}, "cpu": {"request_millicores": null, "limit_millicores": null}, "runtime": []},
 {"name": "flagd", "kind": "Deployment", "namespace": "", "container": "", "status": "ok", "confidence": 0.9,
  "memory": {"request_bytes": null, "limit_bytes": $((130 * MiB))}, "cpu": {"request_millicores": null, "limit_millicores": null}, "runtime": []},
 {"name": "opensearch", "kind": "StatefulSet", "namespace": "", "container": "opensearch", "status": "ok", "confidence": 0.9,
  "memory": {"request_bytes": null, "limit_bytes": $((800 * MiB))}, "cpu": {"request_millicores": null, "limit_millicores": null}, "runtime": []}
]}
JSON

# render DIR PATCH: a copy of the tree with PATCH added under patches:, rendered.
render() {
  local dir=$work/$1 patch=$2
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$tree/otel.yaml" "$tree/extras.yaml" "$tree/kustomization.yaml" "$patch" "$dir/"
  printf 'patches:\n- path: %s\n' "$(basename "$patch")" >>"$dir/kustomization.yaml"
  kubectl kustomize "$dir" >"$dir/rendered.yaml" 2>"$dir/err"
}

# --- option A on one budget: split per container ------------------------------
budget=$((committed - 256 * MiB))
"$stackfit" plan -k "$tree" --budget "$budget" --headroom 0 --from "$work/rec.json" --format json \
  >"$work/plan.json" 2>"$work/err"
check "plan -k on a budget 256 MiB short: exit 1 with option A" \
  '[[ $? -eq 1 ]] && [[ $(json "$work/plan.json" "[o[\"id\"] for o in j[\"options\"]]") == *"'"'A'"'"* ]]'
"$stackfit" plan -k "$tree" --budget "$budget" --headroom 0 --from "$work/rec.json" --option A \
  --write "$work/plan-a.yaml" >/dev/null 2>"$work/err"
check "--option A --write writes a patch" '[[ -s "$work/plan-a.yaml" ]] && grep -q "^# Written by .stackfit plan --option A" "$work/plan-a.yaml"'
if render ra "$work/plan-a.yaml"; then ok "kubectl kustomize renders the tree with the A patch"; else bad "kubectl kustomize A: $(cat "$work/ra/err")"; fi
$PY - "$work/ra/rendered.yaml" "$tree/otel.yaml" <<'PY' && ok "A: rendered containers carry the split values" || bad "A: container values"
import re, sys, yaml
units = {'Ki': 2**10, 'Mi': 2**20, 'Gi': 2**30, '': 1}
def mem(v):
    m = re.fullmatch(r'(\d+)(Ki|Mi|Gi|)', str(v)); return int(m.group(1)) * units[m.group(2)]
def containers(path, name):
    for d in yaml.safe_load_all(open(path)):
        if d and d.get('metadata', {}).get('name') == name and d['kind'] in ('Deployment', 'StatefulSet'):
            return {c['name']: c for c in d['spec']['template']['spec']['containers']}
def limit(c): return mem(c['resources']['limits']['memory'])
got, before = sys.argv[1], sys.argv[2]
want = {}
# Proportional split of a pod-level limit: each container's share of the declared sum, whole MiB,
# the remainder to the largest container.
for name, planned in (('grafana', 225 * 2**20), ('flagd', 130 * 2**20)):
    old = {n: limit(c) for n, c in containers(before, name).items()}
    total = sum(old.values())
    new = {n: v * planned // total // 2**20 * 2**20 for n, v in old.items()}
    largest = max(new, key=lambda n: (new[n], -list(new).index(n)))
    new[largest] += planned - sum(new.values())
    want[name] = new
want['opensearch'] = {'opensearch': 800 * 2**20}
bad = []
for name, new in want.items():
    now = containers(got, name)
    for n, v in new.items():
        if limit(now[n]) != v: bad.append((name, n, limit(now[n]), v))
    if name != 'opensearch' and sum(limit(c) for c in now.values()) != {'grafana': 225, 'flagd': 130}[name] * 2**20:
        bad.append((name, 'sum'))
if bad: print(bad)
sys.exit(1 if bad else 0)
PY
"$stackfit" inspect -k - --format json <"$work/ra/rendered.yaml" >"$work/ra/inspect.json" 2>"$work/err" \
  || bad "inspect -k - of the rendered A: $(cat "$work/err")"
wantA=$(json "$work/plan.json" "[o for o in j['options'] if o['id']=='A'][0]['committed_bytes']")
gotA=$(json "$work/ra/inspect.json" "j['totals']['memory']['committed_bytes']")
check "A: inspect -k - of the rendered output commits the planned $wantA bytes (got $gotA)" '[[ "$gotA" == "$wantA" ]]'

# --- option B: the optional workloads switched off -----------------------------
# load-test commits 2 x (768 + 256) = 2048 MiB, report 512 MiB. 2100 MiB short:
# one load-test replica and report (1536 MiB) are not enough; both off (2560
# MiB, importance 11 + 10) is the cheapest choice that is.
budgetB=$((committed - 2100 * MiB))
"$stackfit" plan -k "$tree" --budget "$budgetB" --headroom 0 --option B --write "$work/plan-b.yaml" --format json \
  >"$work/plan-b.json" 2>"$work/err"
check "--option B --write (exit 1: the stack does not fit as it is)" '[[ $? -eq 1 && -s "$work/plan-b.yaml" ]]'
check "B: the patch comment says replicas: 0 switches workloads off" 'grep -q "^# Switched off (replicas: 0; a Job or CronJob is suspended): " "$work/plan-b.yaml"'
if render rb "$work/plan-b.yaml"; then ok "kubectl kustomize renders the tree with the B patch"; else bad "kubectl kustomize B: $(cat "$work/rb/err")"; fi
dropped=$(json "$work/plan-b.json" "sorted([o for o in j['options'] if o['id']=='B'][0]['dropped'])")
check "B drops the optional workloads (got $dropped)" '[[ "$dropped" == "['"'"'load-test'"'"', '"'"'report'"'"']" ]]'
$PY - "$work/rb/rendered.yaml" <<'PY' && ok "B: rendered load-test has replicas 0, report is suspended" || bad "B: rendered replicas"
import sys, yaml
docs = {d['metadata']['name']: d for d in yaml.safe_load_all(open(sys.argv[1])) if d}
sys.exit(0 if docs['load-test']['spec']['replicas'] == 0 and docs['report']['spec']['suspend'] is True else 1)
PY
"$stackfit" inspect -k - --format json <"$work/rb/rendered.yaml" >"$work/rb/inspect.json" 2>"$work/err" \
  || bad "inspect -k - of the rendered B: $(cat "$work/err")"
wantB=$(json "$work/plan-b.json" "[o for o in j['options'] if o['id']=='B'][0]['committed_bytes']")
gotB=$(json "$work/rb/inspect.json" "j['totals']['memory']['committed_bytes']")
check "B: inspect -k - of the rendered output (suspended CronJob: no pods) commits the planned $wantB bytes (got $gotB)" \
  '[[ "$gotB" == "$wantB" ]]'

# --- refusals -------------------------------------------------------------------
cp "$work/plan-a.yaml" "$work/keep.yaml"
"$stackfit" plan -k "$tree" --budget "$budget" --headroom 0 --from "$work/rec.json" --option A \
  --write "$work/plan-a.yaml" >"$work/out" 2>"$work/err"
rc=$?
check "an existing --write file is refused with exit 2 and left as it was" \
  '[[ $rc -eq 2 ]] && cmp -s "$work/plan-a.yaml" "$work/keep.yaml" && [[ ! -s "$work/out" ]] && grep -q "exists" "$work/err"'
"$stackfit" plan -k "$tree" --budget "$budget" --headroom 0 --option C --write "$work/plan-c.yaml" >/dev/null 2>"$work/err"
check "--option C: nothing to write (exit 2)" '[[ $? -eq 2 && ! -e "$work/plan-c.yaml" ]] && grep -q "changes the machine" "$work/err"'

mkdir -p "$work/pod"
cat >"$work/pod/pod.yaml" <<'YML'
apiVersion: v1
kind: Pod
metadata: {name: solo, labels: {stackfit.priority: optional}}
spec:
  containers: [{name: c, image: busybox, resources: {limits: {memory: 512Mi}}}]
YML
"$stackfit" plan -k "$work/pod" --budget 256Mi --headroom 0 --option B --write "$work/pod/b.yaml" >"$work/out" 2>"$work/err"
rc=$?
check "a bare Pod cannot be switched off by a patch: exit 2, nothing written" \
  '[[ $rc -eq 2 && ! -e "$work/pod/b.yaml" && ! -s "$work/out" ]] && grep -qx "stackfit: workload \"solo\" is a Pod: it has no replica count to set in a patch" "$work/err"'
"$stackfit" plan -k "$tree" --budget "$budget" --headroom 0 --option Z --write "$work/z.yaml" >/dev/null 2>"$work/err"
rc=$?
check "an option the plan does not have: exit 2, the ids listed" \
  '[[ $rc -eq 2 && ! -e "$work/z.yaml" ]] && grep -q "no option \"Z\" in this plan (it has " "$work/err"'

# --- cluster: options A and B re-packed on the same node type -------------------
"$stackfit" plan -k "$tree" --node-type t3.medium --from "$work/rec.json" --format json >"$work/cluster.json" 2>"$work/err"
rc=$?
check "cluster plan of the tree (exit 0)" '[[ $rc -eq 0 ]]'
$PY - "$work/cluster.json" <<'PY' && ok "cluster: goal one node fewer, A/B carry node counts, C stays" || bad "cluster options"
import json, sys
j = json.load(open(sys.argv[1]))
o = {x['id']: x for x in j['options']}
good = j['goal_nodes'] == j['nodes_needed'] - 1 and 'C' in o and 'B' in o
for x in j['options']:
    if x['id'] == 'C': continue
    good = good and x['nodes_before'] == j['nodes_needed'] and x['lower_bound'] <= x['nodes'] <= x['ffd_nodes'] \
        and x['fits'] == (x['nodes'] <= j['goal_nodes']) and x['saved_bytes'] == j['committed_bytes'] - x['committed_bytes']
if not good: print(json.dumps(j['options'], indent=1)[:3000])
sys.exit(0 if good else 1)
PY
out=$("$stackfit" plan -k "$tree" --node-type t3.medium --from "$work/rec.json" 2>&1)
check "cluster text says 'With B the stack ... node(s) instead of N'" '[[ "$out" == *"With B the stack "*" node(s) instead of "* ]]'
"$stackfit" plan -k "$tree" --node-type t3.medium --option B --write "$work/cluster-b.yaml" >/dev/null 2>"$work/err"
check "cluster --option B --write" '[[ -s "$work/cluster-b.yaml" ]]'
if render rc "$work/cluster-b.yaml"; then ok "kubectl kustomize renders the cluster B patch"; else bad "kubectl kustomize cluster B: $(cat "$work/rc/err")"; fi
"$stackfit" plan -k - --node-type t3.medium --format json <"$work/rc/rendered.yaml" >"$work/rc/plan.json" 2>"$work/err"
wantN=$(json "$work/cluster.json" "[o for o in j['options'] if o['id']=='B'][0]['nodes']")
gotN=$(json "$work/rc/plan.json" "j['nodes_needed']")
check "cluster B: the rendered stack packs onto the planned $wantN node(s) (got $gotN)" '[[ "$gotN" == "$wantN" ]]'

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
