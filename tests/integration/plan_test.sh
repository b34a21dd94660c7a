#!/usr/bin/env bash
# `stackfit plan` through the real binary on examples/ and a real corpus
# stack: verdicts, options, exit codes and one-line errors. Totals are
# recomputed independently from the Compose files with python3 + PyYAML
# (the peer), not copied from stackfit's output.
# usage: plan_test.sh <stackfit> <source-dir> [plain|corpus]
# PART plain runs what needs nothing outside the repository, corpus the
# corpus stacks (exit 77, skipped, where the corpus is absent); without PART
# both run.
set -uo pipefail
stackfit=$1
src=$2
corpus=$src/../shared/corpus/real
part=${3:-all}
# shellcheck source=../testing/corpus.sh
source "$src/tests/testing/corpus.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3() { /usr/bin/python3 "$@"; }
python3 -c 'import yaml' || { echo "FAIL: python3-yaml not installed"; exit 1; }
passed=0
failures=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failures=$((failures + 1)); }

# run NAME WANT_EXIT -- args...: stdout in $work/out, stderr in $work/err
run() {
  local name=$1 want=$2
  shift 3
  timeout 60 "$stackfit" "$@" >"$work/out" 2>"$work/err"
  local code=$?
  if [[ $code -ne $want ]]; then
    fail "$name: exit $code, wanted $want; stderr: $(head -c 400 "$work/err")"
    return 1
  fi
  return 0
}
# check NAME PYTHON-EXPRESSION over j = the JSON on stdout
check() {
  local name=$1 expr=$2
  if python3 - "$work/out" "$expr" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
ok = eval(sys.argv[2])
if not ok:
    print(json.dumps(j, indent=1)[:3000], file=sys.stderr)
sys.exit(0 if ok else 1)
PY
  then ok "$name"; else fail "$name: $expr"; fi
}
# error NAME REGEX -- args...: exit 2, one stderr line matching, nothing on stdout
error() {
  local name=$1 pattern=$2
  shift 2
  run "$name" 2 -- "$@" || return
  local lines
  lines=$(wc -l <"$work/err")
  if [[ $lines -eq 1 && ! -s "$work/out" && "$(cat "$work/err")" =~ $pattern ]]; then
    ok "$name: $(cat "$work/err")"
  else
    fail "$name: $lines lines: $(cat "$work/err"), wanted $pattern"
  fi
}

ex=$src/examples/fastapi-celery
cp -r "$ex" "$work/fc"
printf 'POSTGRES_PASSWORD=x\n' > "$work/fc/.env"
fc=(-f "$work/fc/compose.yaml" -f "$work/fc/compose.prod.yaml")

# The peer: committed memory per service from the YAML (limit, else reservation).
peer_committed() {
  python3 - "$@" <<'PY'
import sys, yaml, re
units = {'': 1, 'b': 1, 'k': 1024, 'm': 1024**2, 'g': 1024**3}
def size(v):
    m = re.fullmatch(r'(\d+(?:\.\d+)?)\s*([kmg]?)i?b?', str(v).strip().lower())
    return int(float(m.group(1)) * units[m.group(2)])
services = {}
for path in sys.argv[1:]:
    doc = yaml.safe_load(open(path))
    for name, s in (doc.get('services') or {}).items():
        cur = services.setdefault(name, {})
        lim = (((s.get('deploy') or {}).get('resources') or {}).get('limits') or {}).get('memory')
        res = (((s.get('deploy') or {}).get('resources') or {}).get('reservations') or {}).get('memory')
        if s.get('mem_limit') is not None: lim = s['mem_limit']
        if s.get('mem_reservation') is not None: res = s['mem_reservation']
        if lim is not None: cur['limit'] = size(lim)
        if res is not None: cur['res'] = size(res)
print(sum(v.get('limit', v.get('res', 0)) for v in services.values()))
PY
}
want=$(peer_committed "$work/fc/compose.yaml" "$work/fc/compose.prod.yaml")

if [[ $part != corpus ]]; then
# --- fits: t3.small without headroom -----------------------------------------
if run "fits t3.small" 0 -- plan "${fc[@]}" --machine t3.small --headroom 0 --format json; then
  check "fits: committed equals the peer's sum ($want)" "j['committed_bytes'] == $want and j['fits'] is True"
  check "fits: headroom left and largest addable = usable - committed" \
    "j['headroom_left_bytes'] == j['usable_bytes'] - j['committed_bytes'] == j['largest_addable_bytes'] and j['options'] == []"
fi

# --- does not fit: t3.micro ---------------------------------------------------
if run "t3.micro does not fit" 1 -- plan "${fc[@]}" --machine t3.micro --format json; then
  check "t3.micro: B drops flower (optional) but is not enough" \
    "[o for o in j['options'] if o['id']=='B'][0]['dropped'] == ['flower'] and not [o for o in j['options'] if o['id']=='B'][0]['fits']"
  check "t3.micro: C names the cheapest priced machine that fits" \
    "(lambda c: c['fits'] and c['machine']['usable_bytes'] >= $want and c['machine']['price_per_month'] == min(m['price_per_month'] for m in c['candidates']))([o for o in j['options'] if o['id']=='C'][0])"
  check "t3.micro: the plain verdict names the smallest machine" \
    "any('Nothing can be dropped' in n and j['smallest_fitting_machine']['name'] in n for n in j['notes'])"
  check "t3.micro: options ranked, fitting first" "[o['rank'] for o in j['options']] == list(range(1, len(j['options'])+1)) and j['options'][0]['fits']"
fi
run "table output" 1 -- plan "${fc[@]}" --machine t3.micro && {
  grep -q "does NOT fit" "$work/out" && grep -q "^C (move to a larger machine)" "$work/out" && ok "table: verdict and option C" || fail "table: $(cat "$work/out")"
}
run "markdown output" 1 -- plan "${fc[@]}" --machine t3.micro --format markdown && {
  grep -q '^| # ' "$work/out" && ok "markdown: options table" || fail "markdown: $(cat "$work/out")"
}

# --- --from: recommendations make A fit on t3.small with 10% headroom -------
cat > "$work/rec.json" <<'JSON'
{"schema": "stackfit.recommend/1", "strategy": "peak", "profile": "prod",
 "services": [
  {"name": "worker", "kind": "service", "namespace": "", "container": "", "status": "ok", "confidence": 0.9,
   "memory": {"request_bytes": 201326592, "limit_bytes": 268435456}, "cpu": null, "runtime": []},
  {"name": "db", "kind": "service", "namespace": "", "container": "", "status": "ok", "confidence": 0.8,
   "memory": {"request_bytes": 268435456, "limit_bytes": 335544320}, "cpu": null, "runtime": []},
  {"name": "beat", "kind": "service", "status": "not_enough_data", "confidence": 0,
   "memory": {"request_bytes": null, "limit_bytes": null}, "cpu": null, "runtime": []}
 ]}
JSON
if run "--from: t3.small with 10% headroom" 1 -- plan "${fc[@]}" --machine t3.small --from "$work/rec.json" --format json; then
  # 1568 MiB - (448-256) - (512-320) = 1184 MiB <= 1497.6 MiB usable
  check "--from: A fits, saves 384 MiB, low risk, ranked first" \
    "j['options'][0]['id']=='A' and j['options'][0]['fits'] and j['options'][0]['saved_bytes']==384*2**20 and j['options'][0]['risk']=='low' and j['options'][0]['committed_bytes']==$want-384*2**20"
fi

# --- --write: option A as a Compose override, checked by docker-compose and by re-planning
ov=$work/fc/docker-compose.stackfit.yml
if run "--write option A" 1 -- plan "${fc[@]}" --machine t3.small --from "$work/rec.json" --option A --write "$ov"; then
  if [[ -s "$ov" ]] && (cd "$work/fc" && docker-compose -f compose.yaml -f compose.prod.yaml -f docker-compose.stackfit.yml config) >"$work/merged.yml" 2>"$work/dc.err"; then
    if python3 - "$work/merged.yml" <<'PY'
import sys, yaml
s = yaml.safe_load(open(sys.argv[1]))['services']
def limit(x):
    return x.get('mem_limit') or x['deploy']['resources']['limits']['memory']
# docker-compose 1.29 prints sizes as given or in bytes
def b(v):
    v = str(v).lower()
    return int(v[:-1]) * 2**20 if v.endswith('m') else int(v)
ok = b(limit(s['worker'])) == 256 * 2**20 and b(limit(s['db'])) == 320 * 2**20 and b(limit(s['api'])) == 256 * 2**20
sys.exit(0 if ok else 1)
PY
    then ok "--write: docker-compose config merges the override: worker 256 MiB, db 320 MiB, api unchanged"
    else fail "--write: merged limits wrong: $(cat "$work/merged.yml" | head -60)"; fi
  else
    fail "--write: docker-compose config failed: $(cat "$work/dc.err")"
  fi
  run "--write: re-planned with the override, the stack fits" 0 -- plan "${fc[@]}" -f "$ov" --machine t3.small --format json && \
    check "--write: committed after = option A's committed" "j['fits'] and j['committed_bytes'] == $want - 384*2**20"
fi
before=$(md5sum <"$ov")
run "--write refuses to replace a file (exit 2)" 2 -- plan "${fc[@]}" --machine t3.small --from "$work/rec.json" --option A --write "$ov" && {
  grep -q "already exists; not overwritten (use --force to replace it)" "$work/err" && [[ "$(md5sum <"$ov")" == "$before" && ! -s "$work/out" ]] \
    && ok "--write: existing file kept: $(cat "$work/err")" || fail "--write over an existing file: $(cat "$work/err")"
}
error "--write option C has nothing to write" '^stackfit: --option C: changes the machine, not the stack' \
  plan "${fc[@]}" --machine t3.micro --option C --write "$work/c.yml"
error "--write unknown option" '^stackfit: --option: no option "Z" in this plan \(it has ' \
  plan "${fc[@]}" --machine t3.micro --option Z --write "$work/z.yml"
[[ ! -e "$work/c.yml" && ! -e "$work/z.yml" ]] && ok "--write: no file on error" || fail "--write: file left on error"

# --- local targets and budgets ----------------------------------------------
run "docker-desktop:3g" 0 -- plan "${fc[@]}" --machine docker-desktop:3g --format json && \
  check "docker-desktop:3g: 3 GiB VM" "j['target']['memory_bytes'] == 3*2**30 and j['fits']"
run "--budget 1g" 1 -- plan "${fc[@]}" --budget 1g --format json && \
  check "--budget 1g: no reserve, 10% headroom" "j['budget_bytes'] == 2**30 and j['usable_bytes'] == int(2**30*0.9)"

# --- bad input ----------------------------------------------------------------
error "unknown machine suggests the nearest" '^stackfit: --machine: unknown machine "t3.mcro" \(nearest: t3\.micro' \
  plan "${fc[@]}" --machine t3.mcro
error "budget below the reserve" '^stackfit: --budget: 256 MiB is not above the 512 MiB reserve' \
  plan "${fc[@]}" --budget 256m --reserve 512m
error "headroom out of range" '^stackfit: --headroom: at most 90%' plan "${fc[@]}" --budget 1g --headroom 95%
error "no target" '^stackfit: plan needs a target' plan "${fc[@]}"
printf 'machines:\n  - name: nuc\n    memory: 16GB\n    cpus: 4\n' > "$work/cat.yaml"
error "bad catalog file" "^stackfit: $work/cat.yaml:3:13: machines\\[0\\]\\.memory: " plan "${fc[@]}" --machine nuc --catalog "$work/cat.yaml"
printf '{"schema": "stackfit.recommend/1", "services": [\n {"name": "db", "status": "ok", "memory": {"limit_bytes": -1}}]}\n' > "$work/bad.json"
error "bad --from file" "^stackfit: $work/bad.json:2:59: \\.services\\[0\\]\\.memory\\.limit_bytes: must not be negative, got -1$" \
  plan "${fc[@]}" --machine t3.micro --from "$work/bad.json"

# --- cluster: k8s-shop on t3.medium nodes ---------------------------------------
if run "k8s-shop on t3.medium" 0 -- plan -k "$src/examples/k8s-shop" --node-type t3.medium --format json; then
  check "cluster: EKS formula, proved node count >= lower bound" \
    "j['mode']=='cluster' and j['node_type']['formula']=='eks' and j['nodes_needed'] >= j['lower_bound'] >= 1 and j['proof'] in ('lower_bound','ilp')"
  check "cluster: cheapest node type option" "[o['nodes'] >= 1 for o in j['options'] if o['id']=='C'] == [True]"
fi
run "k8s-shop on 1 t3.micro node" 1 -- plan -k "$src/examples/k8s-shop" --node-type t3.micro --nodes 1 --format json && \
  check "cluster: does not fit 1 t3.micro; 4 max pods less the log-agent DaemonSet = 3 per node" \
    "not j['fits'] and j['requested_nodes'] == 1 and j['per_node_for_pods']['pods'] == 3"
run "k8s-shop on one t3.medium machine" 0 -- plan -k "$src/examples/k8s-shop" --machine t3.medium --format json && \
  check "k8s on one machine: the kubelet's EKS reserve (11 x 17 + 255 + 100 MiB)" \
    "j['target']['reserve_bytes'] == (11*17+255+100)*2**20 and j['fits']"
error "unknown node type" '^stackfit: --node-type: unknown machine "m6i.larg" \(nearest: m6i\.large' \
  plan -k "$src/examples/k8s-shop" --node-type m6i.larg

# --- cluster: the ILP beats FFD / proves FFD where the bound is loose ----------
# lab-node: 2800 MiB, GKE reserve 25% + 100 MiB -> 2000 MiB allocatable.
printf 'machines:\n  - {name: lab-node, memory: 2800Mi, cpus: 2, price_per_hour_usd: 0.01}\n' > "$work/lab.yaml"
deployments() {
  local spec
  for spec in "$@"; do
    printf -- '---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: %s}\nspec:\n  replicas: 1\n' "${spec%%:*}"
    printf '  selector: {matchLabels: {app: x}}\n  template:\n    metadata: {labels: {app: x}}\n    spec:\n'
    printf '      containers:\n        - {name: app, image: busybox, resources: {requests: {memory: %sMi, cpu: 10m}}}\n' "${spec#*:}"
  done
}
# FFD: 1000+750 | 750+500+500 | 500 = 3 nodes; optimum 1000+500+500 | 750+750+500 = 2.
deployments a:1000 b:750 c:750 d:500 e:500 f:500 > "$work/better.yaml"
run "ILP beats FFD" 0 -- plan -k "$work/better.yaml" --node-type lab-node --catalog "$work/lab.yaml" --headroom 0 --format json && \
  check "ILP: 2 nodes proved (FFD 3), fragmentation of the ILP packing" \
    "j['nodes_needed']==2 and j['ffd_nodes']==3 and j['lower_bound']==2 and j['proof']=='ilp' and j['ilp']['status']=='optimal' and j['fragmentation']['free_memory_bytes']==0"
# Three 1100 MiB pods: the bound says 2, no two fit together: 3 is optimal.
deployments a:1100 b:1100 c:1100 > "$work/proved.yaml"
run "ILP proves FFD" 1 -- plan -k "$work/proved.yaml" --node-type lab-node --catalog "$work/lab.yaml" --headroom 0 --nodes 2 --format json && \
  check "ILP: 3 nodes proved optimal, does not fit 2" \
    "j['nodes_needed']==3 and j['lower_bound']==2 and j['proof']=='ilp' and not j['fits']"

fi  # plain part

if [[ $part != plain ]]; then
corpus_or_skip "$corpus" "$failures"
# --- a real corpus stack: OpenTelemetry demo --------------------------------
otel=$corpus/open-telemetry__opentelemetry-demo
mkdir -p "$work/otel"
cp "$otel/compose.yaml" "$work/otel/compose.yaml"
# The demo reads its variables from a .env the corpus does not carry: give
# every ${VAR} a value (ports numeric) so that the file loads.
python3 - "$work/otel/compose.yaml" "$work/otel/.env" <<'PY'
import re, sys
names = sorted(set(re.findall(r"\$\{(\w+)", open(sys.argv[1]).read())))
with open(sys.argv[2], "w") as f:
    for i, v in enumerate(names):
        f.write("%s=%s\n" % (v, 8000 + i if "PORT" in v else "x"))
PY
owant=$(peer_committed "$work/otel/compose.yaml")
if run "otel demo on t3.medium" 1 -- plan -f "$work/otel/compose.yaml" --machine t3.medium --format json; then
  check "otel: committed equals the peer's sum ($owant)" "j['committed_bytes'] == $owant"
  check "otel: C's machines all have room" \
    "all(m['usable_bytes'] >= j['committed_bytes'] for o in j['options'] if o['id']=='C' for m in o['candidates'])"
fi

# --- cluster: the OpenTelemetry demo's manifests (real corpus) ------------------
okube=$otel/kubernetes__opentelemetry-demo.yaml
kpeer=$(python3 - "$okube" <<'PY'
import sys, yaml, re
units = {'Ki': 2**10, 'Mi': 2**20, 'Gi': 2**30, '': 1, 'k': 10**3, 'M': 10**6, 'G': 10**9}
def mem(v):
    m = re.fullmatch(r'(\d+)(Ki|Mi|Gi|k|M|G|)', str(v))
    return int(m.group(1)) * units[m.group(2)]
def request(c):
    r = c.get('resources') or {}
    v = (r.get('requests') or {}).get('memory') or (r.get('limits') or {}).get('memory')
    return mem(v) if v else 0
total = pods = 0
for d in yaml.safe_load_all(open(sys.argv[1])):
    if not d or d['kind'] not in ('Deployment', 'StatefulSet'):
        continue
    spec = d['spec']['template']['spec']
    app = sum(request(c) for c in spec['containers'])
    init = max([request(c) for c in spec.get('initContainers') or []] or [0])
    n = d['spec'].get('replicas', 1)
    total += max(app, init) * n
    pods += n
print(total, pods)
PY
)
read -r kwant kpods <<<"$kpeer"
if run "otel manifests on m7g.large nodes" 0 -- plan -k "$okube" --node-type m7g.large --format json; then
  check "otel k8s: pod requests equal the peer's sum ($kwant bytes, $kpods pods)" \
    "j['committed_bytes'] == $kwant and j['pods'] == $kpods"
  check "otel k8s: nodes needed within [ceil(sum/node), ffd] and EKS reserve for 29 pods" \
    "-(-$kwant // j['per_node_for_pods']['memory_bytes']) <= j['nodes_needed'] <= j['ffd_nodes'] and j['node_type']['reserved_memory_bytes'] == (11*29+255+100)*2**20"
fi

fi  # corpus part

# --- inference: a 14-service stack without a single priority label ------------
cm=$src/examples/celery-monitoring
cmf=(-f "$cm/compose.yaml" --profile monitoring --profile extra-executors)
cmwant=$(peer_committed "$cm/compose.yaml")
if run "celery-monitoring on t2.micro" 1 -- plan "${cmf[@]}" --machine t2.micro --format json; then
  check "cm: committed equals the peer's sum of all 14 services ($cmwant)" \
    "j['committed_bytes'] == $cmwant and not j['fits']"
  check "cm: B infers Flower (catalog), the monitoring profile and two of three executors" \
    "[o for o in j['options'] if o['id']=='B'][0]['dropped'] == ['flower', 'prometheus', 'grafana', 'cadvisor', 'executor-3', 'executor-2']"
  check "cm: every B change is inferred, below a label's confidence, with evidence, and says what and why" \
    "all(c['inferred'] and c['confidence'] < 1 and c['evidence'] and c['what'] == 'switch off' and c['reason'].startswith('inferred (no priority label') for c in [o for o in j['options'] if o['id']=='B'][0]['changes'])"
  check "cm: B's savings are the switched-off limits (128+256+192+128+320+320 MiB)" \
    "[o for o in j['options'] if o['id']=='B'][0]['saved_bytes'] == (128+256+192+128+320+320)*2**20"
  check "cm: Grafana goes with Prometheus (it depends on it)" \
    "any('grafana' in e for c in [o for o in j['options'] if o['id']=='B'][0]['changes'] if c['service']=='prometheus' for e in c['evidence'])"
  check "cm: M folds redis-cache into redis, states the risk, is ranked after every other option" \
    "(lambda m: m['changes_meaning'] and m['risk']=='high' and m['changes'][0]['merged_into']=='redis' and m['changes'][0]['service']=='redis-cache' and 'Celery broker needs a database index of its own' in m['changes'][0]['reason'] and 'noeviction' in m['changes'][0]['reason'] and m['saved_bytes']==128*2**20)([o for o in j['options'] if o['id']=='M'][0]) and all(o['changes_meaning'] for o in j['options'][-2:]) and not j['options'][0]['changes_meaning']"
  check "cm: B+M offered since B alone does not fit" \
    "[o['saved_bytes'] for o in j['options'] if o['id']=='B+M'] == [(128+256+192+128+320+320+128)*2**20]"
  check "cm: without history, a note names the command that gives option A evidence" \
    "any('stackfit record -f $cm/compose.yaml --profile monitoring --profile extra-executors --duration 1h --db stackfit.db' in n for n in j['notes'])"
fi
run "celery-monitoring --no-infer" 1 -- plan "${cmf[@]}" --machine t2.micro --no-infer --format json && \
  check "--no-infer: no B (nothing labelled, no replicas) and no merge" \
    "[o['id'] for o in j['options'] if o['id'] in ('B', 'M', 'B+M')] == []"
run "celery-monitoring table" 1 -- plan "${cmf[@]}" --machine t2.micro && {
  grep -q "flower: switch off (inferred (no priority label, confidence 0.5)" "$work/out" && \
    grep -q "evidence: flower: image mher/flower:2.0 is Flower, a monitoring UI" "$work/out" && \
    grep -q "redis-cache: merge into redis" "$work/out" \
    && ok "table: inferred changes with evidence, the merge spelled out" || fail "table: $(cat "$work/out")"
}
# A label wins over the inference: flower labelled normal stays.
sed 's|^  flower:$|  flower:\n    labels: {stackfit.priority: normal}|' "$cm/compose.yaml" > "$work/cm-label.yaml"
run "a label wins" 1 -- plan -f "$work/cm-label.yaml" --profile monitoring --profile extra-executors --machine t2.micro --format json && \
  check "label normal: flower is not inferred" "'flower' not in [o for o in j['options'] if o['id']=='B'][0]['dropped']"
error "--write of a merge is refused" \
  '^stackfit: --option M: merges datastores, which changes what the stack means \(clients and data must move\); stackfit does not write it$' \
  plan "${cmf[@]}" --machine t2.micro --option M --write "$work/m.yml"
[[ ! -e "$work/m.yml" ]] && ok "merge: no file written" || fail "merge: a file was written"

# --- --keep: the core ----------------------------------------------------------
if run "--keep nginx on t2.micro" 1 -- plan "${cmf[@]}" --machine t2.micro --keep nginx --format json; then
  check "core: nginx and its depends_on closure, 1344 MiB, does not fit t2.micro" \
    "j['core']['services'] == ['postgres', 'redis', 'redis-cache', 'api-service', 'storage-service', 'nginx'] and j['core']['committed_bytes'] == 1344*2**20 and j['core']['fits'] is False"
  check "core: what is left out, with its feature" \
    "[l['service'] for l in j['core']['left_out']] == ['executor-1', 'executor-2', 'executor-3', 'beat', 'flower', 'prometheus', 'grafana', 'cadvisor'] and {'service': 'flower', 'feature': 'Flower, a monitoring UI'} in j['core']['left_out']"
  check "core: option K offered (nothing else on the stack's side fits)" \
    "[o['committed_bytes'] for o in j['options'] if o['id']=='K'] == [1344*2**20]"
fi
if run "--keep nginx on t3.small" 1 -- plan "${cmf[@]}" --machine t3.small --keep nginx --format json; then
  check "core fits t3.small; K fits and switches off the 8 others" \
    "j['core']['fits'] and (lambda k: k['fits'] and len(k['dropped']) == 8)([o for o in j['options'] if o['id']=='K'][0])"
fi
run "--keep table" 1 -- plan "${cmf[@]}" --machine t3.small --keep api-service,nginx && {
  grep -q "^Core (--keep and what it depends on): postgres, redis, redis-cache, api-service, storage-service, nginx" "$work/out" && \
    grep -q "^    flower: Flower, a monitoring UI" "$work/out" \
    && ok "table: the core and what leaving the rest out costs" || fail "table core: $(cat "$work/out")"
}
mkdir -p "$work/cmw" && cp "$cm/compose.yaml" "$work/cmw/compose.yaml"
if run "--write K" 1 -- plan -f "$work/cmw/compose.yaml" --profile monitoring --profile extra-executors --machine t3.small --keep nginx --option K --write "$work/cmw/core.yml"; then
  run "--write K: re-planned with the override, the core fits" 0 -- plan -f "$work/cmw/compose.yaml" -f "$work/cmw/core.yml" --profile monitoring --profile extra-executors --machine t3.small --format json && \
    check "--write K: committed = the core's" "j['fits'] and j['committed_bytes'] == 1344*2**20"
  (cd "$work/cmw" && docker-compose -f compose.yaml -f core.yml --profile monitoring --profile extra-executors config) >"$work/cmw.out" 2>"$work/cmw.err" \
    && ok "--write K: docker-compose config accepts the override" || fail "--write K: docker-compose: $(head -c 300 "$work/cmw.err")"
fi
error "--keep unknown service" \
  '^stackfit: --keep: unknown service "apii" \(services: postgres, redis, redis-cache, api-service, storage-service, executor-1, executor-2, executor-3, beat, flower, …\)$' \
  plan "${cmf[@]}" --machine t2.micro --keep nginx,apii
error "--keep empty name" '^stackfit: --keep: empty service name in "nginx,"$' plan "${cmf[@]}" --machine t2.micro --keep nginx,
printf 'services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    depends_on: [a]\n' > "$work/cycle.yaml"
error "depends_on cycle" "^stackfit: $work/cycle.yaml:2:3: depends_on cycle: a → b → a\$" plan -f "$work/cycle.yaml" --machine t2.micro
printf 'services:\n  a:\n    image: x\n    labels:\n      stackfit.priority: urgent\n' > "$work/prio.yaml"
error "unknown priority label" \
  "^stackfit: $work/prio.yaml:5:26: services.a.labels.stackfit.priority: expected critical, normal or optional, got \"urgent\"\$" \
  plan -f "$work/prio.yaml" --machine t2.micro

# --- --db: option A from recorded history (the peer: `recommend --db`) -----------
db=$work/s.db
cgroup=/docker
[ -d /sys/fs/cgroup/memory/docker ] || cgroup=/
timeout 30 "$stackfit" record --cgroup "$cgroup" --duration 2s --interval 1s --db "$db" --format json >/dev/null 2>"$work/rec.err"
if [[ -s "$db" ]] && python3 - "$db" "$src" <<'PY'
import sqlite3, sys
sys.path.insert(0, sys.argv[2] + "/tests/testing")
from store_rows import MiB
import store_rows
db = sqlite3.connect(sys.argv[1])
container = lambda key_id, service, limit: store_rows.container(db, "cmdb", key_id, service, limit)
samples = lambda key, n, ws: store_rows.samples(db, key, n, lambda i: ws)
samples(container("api0", "api", 1024 * MiB), 300, 200 * MiB)
samples(container("worker0", "worker", 1024 * MiB), 300, 100 * MiB)
db.commit()
PY
then
  printf 'services:\n  api: {image: example/api:1, mem_limit: 1g}\n  worker: {image: example/worker:1, mem_limit: 1g}\n  db: {image: example/db:1, mem_limit: 256m}\n' > "$work/dbstack.yaml"
  dbf=(-f "$work/dbstack.yaml" -p cmdb)
  "$stackfit" recommend "${dbf[@]}" --db "$db" --since 30d --format json > "$work/rec-db.json" 2>"$work/rec-db.err"
  if run "--db: plan on t3.micro" 1 -- plan "${dbf[@]}" --machine t3.micro --db "$db" --format json; then
    check "--db: A tightens api and worker to what recommend --db says, from history, and fits" \
      "(lambda a, r: a['fits'] and a['title'] == 'tighten to the recommendations' and {c['service']: c['memory']['limit_bytes'] for c in a['changes']} == {s['name']: s['memory']['limit_bytes'] for s in r['services'] if s['status'] != 'not_enough_data'} and set(c['service'] for c in a['changes']) == {'api', 'worker'})([o for o in j['options'] if o['id']=='A'][0], json.load(open('$work/rec-db.json')))"
    check "--db: no 'record first' note when there is history" "not any('no recorded use' in n for n in j['notes'])"
  fi
  if run "--db: A+C on t3.nano" 1 -- plan "${dbf[@]}" --machine t3.nano --db "$db" --format json; then
    check "--db: A+C names the cheapest machine the tightened stack (A's total) fits: e2-micro" \
      "(lambda a, ac: ac['committed_bytes'] == a['committed_bytes'] and ac['machine']['name'] == 'e2-micro' and ac['machine']['usable_bytes'] >= ac['committed_bytes'] and ac['machine']['price_per_month'] == min(m['price_per_month'] for m in ac['candidates']))([o for o in j['options'] if o['id']=='A'][0], [o for o in j['options'] if o['id']=='A+C'][0])"
  fi
  error "--db and --from" '^stackfit: --from and --db: give one source of recommendations$' \
    plan "${dbf[@]}" --machine t3.micro --db "$db" --from "$work/rec.json"
  error "--db missing store" "^stackfit: $work/none.db: no sample store \\(record history first with \`stackfit record\`\\)\$" \
    plan "${dbf[@]}" --machine t3.micro --db "$work/none.db"
else
  fail "--db: could not make a store: $(cat "$work/rec.err")"
fi

echo "$passed passed, $failures failed"
[[ $failures -eq 0 ]]
