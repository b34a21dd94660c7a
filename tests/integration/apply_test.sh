#!/usr/bin/env bash
# `stackfit apply` against the real peers: the Compose override it writes must
# load in Debian's `docker-compose config` together with the user's files and
# show the new values (service-level style, deploy.resources style, a corpus
# file); the kustomize patch must render in `kubectl kustomize`. Plus the
# refusals: existing output without --force, a renamed service, dry run.
# usage: apply_test.sh <stackfit> <source-dir> [plain|corpus]
# PART plain runs what needs nothing outside the repository, corpus the
# sections on corpus files (exit 77, skipped, where the corpus is absent);
# without PART both run.
set -uo pipefail
stackfit=$1
corpus=$2/../shared/corpus/real
part=${3:-all}
# shellcheck source=../testing/corpus.sh
source "$2/tests/testing/corpus.sh"
work=$(mktemp -d /tmp/stackfit-apply.XXXXXX)
trap '[[ -n "${KEEP:-}" ]] || rm -rf "$work"' EXIT
PY=/usr/bin/python3
passed=0
failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
bad() { echo "FAIL - $1"; failed=$((failed + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
command -v docker-compose >/dev/null || { echo "FAIL: docker-compose not found"; exit 1; }
command -v kubectl >/dev/null || { echo "FAIL: kubectl not found"; exit 1; }

# rec SERVICE-JSON...: a recommend file with the given service objects.
rec() {
  local IFS=,
  printf '{"schema": "stackfit.recommend/1", "strategy": "peak", "profile": "prod", "services": [%s]}\n' "$*"
}
svc() {  # NAME MEM_REQ MEM_LIMIT CPU_REQ CPU_LIMIT [RUNTIME-JSON] [KIND NAMESPACE CONTAINER]
  printf '{"name": "%s", "kind": "%s", "namespace": "%s", "container": "%s", "status": "ok", "memory": {"request_bytes": %s, "limit_bytes": %s}, "cpu": {"request_millicores": %s, "limit_millicores": %s}, "runtime": [%s]}' \
    "$1" "${7:-service}" "${8:-}" "${9:-}" "$2" "$3" "$4" "$5" "${6:-}"
}
MiB=1048576

if [[ $part != corpus ]]; then
# --- 1. service-level style (mem_limit / cpus) with runtime knobs ----------
mkdir -p "$work/a"
cat >"$work/a/compose.yml" <<'YML'
services:
  cache:
    image: redis:7
    mem_limit: 1g
    command: redis-server --appendonly yes --maxmemory 900mb
  db:
    image: postgres:15
    mem_limit: 2g
    mem_reservation: 1g
    command: [postgres, -c, max_connections=50]
    healthcheck:
      test: [CMD, pg_isready]
      interval: 30s
  app:
    image: eclipse-temurin:21
    cpus: 2
    depends_on: [db]
    environment:
      TZ: UTC
      JAVA_OPTS: -Xms256m -Xmx2g -Dprice=$$5
YML
# The cache keeps data (appendonly yes): recommend gives it noeviction and half
# the limit for the fork (docs/recommend.md), the override must carry both.
rec "$(svc cache null $((512 * MiB)) null null '{"knob": "redis_maxmemory", "bytes": 268435456, "policy": "noeviction"}')" \
    "$(svc db $((256 * MiB)) $((768 * MiB)) 250 null '{"knob": "postgres_shared_buffers", "bytes": 201326592}')" \
    "$(svc app null $((1024 * MiB)) null 500 '{"knob": "jvm_max_heap", "bytes": 805306368}')" >"$work/a/rec.json"
out=$("$stackfit" apply -f "$work/a/compose.yml" --from "$work/a/rec.json" 2>&1)
check "apply (mem_limit style) exits 0" '[[ $? -eq 0 ]]'
check "apply prints the docker compose line" \
  '[[ "$out" == *"docker compose -f $work/a/compose.yml -f $work/a/docker-compose.stackfit.yml up -d"* ]]'
docker-compose -f "$work/a/compose.yml" -f "$work/a/docker-compose.stackfit.yml" config >"$work/a/config.yml" 2>"$work/a/err" \
  || bad "docker-compose config loads the override: $(cat "$work/a/err")"
"$PY" - "$work/a/config.yml" <<'PY' && ok "docker-compose config shows mem_limit style values and runtime knobs" || bad "docker-compose config values (mem_limit style)"
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))["services"]
def eq(a, b):
    if a != b: print("  got", repr(a), "want", repr(b)); return False
    return True
good = all([
  eq(str(c["cache"]["mem_limit"]).lower(), "512m"),
  eq(c["cache"]["command"], ["redis-server", "--appendonly", "yes", "--maxmemory", "256mb", "--maxmemory-policy", "noeviction"]),
  eq(str(c["db"]["mem_limit"]).lower(), "768m"), eq(str(c["db"]["mem_reservation"]).lower(), "256m"),
  eq(str(c["db"]["deploy"]["resources"]["reservations"]["cpus"]), "0.25"),
  eq(c["db"]["command"], ["postgres", "-c", "max_connections=50", "-c", "shared_buffers=192MB"]),
  eq(c["db"]["healthcheck"]["test"], ["CMD", "pg_isready"]),
  eq(str(c["app"]["mem_limit"]).lower(), "1g"), eq(str(c["app"]["cpus"]), "0.5"),
  eq(c["app"]["environment"]["JAVA_OPTS"], "-Xms256m -Xmx768m -Dprice=$$5"),
  eq(c["app"]["environment"]["TZ"], "UTC"),
  eq("deploy" in c["app"], False),
])
sys.exit(0 if good else 1)
PY

# --- 2. existing output without --force: one line, exit 2, untouched -------
before=$(sha256sum "$work/a/docker-compose.stackfit.yml")
err=$("$stackfit" apply -f "$work/a/compose.yml" --from "$work/a/rec.json" 2>&1 >/dev/null); rc=$?
check "existing override without --force exits 2" '[[ $rc -eq 2 ]]'
check "existing override: one line naming --force" '[[ $(printf "%s\n" "$err" | wc -l) -eq 1 && "$err" == *"--force"* ]]'
check "existing override untouched" '[[ "$(sha256sum "$work/a/docker-compose.stackfit.yml")" == "$before" ]]'
"$stackfit" apply -f "$work/a/compose.yml" --from "$work/a/rec.json" --force >/dev/null 2>&1
check "--force replaces it" '[[ $? -eq 0 ]]'

# --- 3. renamed service: one line, exit 2, nothing written -----------------
rec "$(svc cachex null $((512 * MiB)) null null)" >"$work/a/renamed.json"
err=$("$stackfit" apply -f "$work/a/compose.yml" --from "$work/a/renamed.json" --output "$work/a/renamed.yml" 2>&1); rc=$?
check "renamed service exits 2 with one line" '[[ $rc -eq 2 && $(printf "%s\n" "$err" | wc -l) -eq 1 && "$err" == *"\"cachex\" is not in the stack"* ]]'
check "renamed service: nothing written" '[[ ! -e "$work/a/renamed.yml" ]]'

# --- 4. dry run writes nothing and shows declared -> target ----------------
out=$("$stackfit" apply -f "$work/a/compose.yml" --from "$work/a/rec.json" --output "$work/a/dry.yml" --dry-run 2>&1)
check "dry run shows declared -> target" '[[ "$out" == *"1 GiB -> 512 MiB"* && "$out" == *"nothing written"* ]]'
check "dry run writes nothing" '[[ ! -e "$work/a/dry.yml" ]]'

# --- 5. deploy.resources style ---------------------------------------------
mkdir -p "$work/b"
cat >"$work/b/compose.yml" <<'YML'
services:
  api:
    image: node:20
    environment: [NODE_OPTIONS=--enable-source-maps]
    deploy:
      replicas: 2
      resources:
        limits: {memory: 1g, cpus: "1"}
        reservations: {memory: 512m}
  worker:
    image: busybox
YML
rec "$(svc api $((128 * MiB)) $((384 * MiB)) 100 750 '{"knob": "node_max_old_space", "bytes": 268435456}')" \
    "$(svc worker null $((64 * MiB)) null null)" >"$work/b/rec.json"
"$stackfit" apply -f "$work/b/compose.yml" --from "$work/b/rec.json" --output "$work/b/override.yml" >/dev/null 2>"$work/b/err" \
  || bad "apply (deploy style): $(cat "$work/b/err")"
docker-compose -f "$work/b/compose.yml" -f "$work/b/override.yml" config >"$work/b/config.yml" 2>"$work/b/err" \
  || bad "docker-compose config loads the deploy-style override: $(cat "$work/b/err")"
"$PY" - "$work/b/config.yml" <<'PY' && ok "docker-compose config shows deploy.resources values" || bad "docker-compose config values (deploy style)"
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))["services"]
r = c["api"]["deploy"]["resources"]
want = [(str(r["limits"]["memory"]).lower(), "384m"), (str(r["limits"]["cpus"]), "0.75"),
        (str(r["reservations"]["memory"]).lower(), "128m"), (str(r["reservations"]["cpus"]), "0.1"),
        (c["api"]["deploy"]["replicas"], 2), ("mem_limit" in c["api"], False),
        (c["api"]["environment"]["NODE_OPTIONS"], "--enable-source-maps --max-old-space-size=256"),
        (str(c["worker"]["deploy"]["resources"]["limits"]["memory"]).lower(), "64m")]
bad = [w for w in want if w[0] != w[1]]
if bad: print("\n".join("  got %r want %r" % w for w in bad))
sys.exit(1 if bad else 0)
PY

# --- 8. compose -> kubernetes translation -------------------------------
out=$("$stackfit" apply -f "$work/b/compose.yml" --from "$work/b/rec.json" --to kubernetes 2>&1)
"$PY" -c 'import sys, yaml; d = yaml.safe_load(sys.stdin)["api"]["resources"]; sys.exit(0 if d == {"requests": {"memory": "128Mi", "cpu": "100m"}, "limits": {"memory": "384Mi", "cpu": "750m"}} else 1)' <<<"$out" \
  && ok "--to kubernetes: resources block" || bad "--to kubernetes: $out"

# --- 9. depends_on conditions and healthcheck timings (the writer, via override_probe)
probe=${STACKFIT_OVERRIDE_PROBE:-$(dirname "$stackfit")/tests/integration/override_probe}
if [[ -x "$probe" ]]; then
  "$probe" "$work/a/compose.yml" db cache service_started 10000 90000 5 >"$work/a/startup.yml" 2>"$work/a/err" \
    || bad "override_probe: $(cat "$work/a/err")"
  docker-compose -f "$work/a/compose.yml" -f "$work/a/startup.yml" config >"$work/a/startup-config.yml" 2>"$work/a/err" \
    || bad "docker-compose config loads depends_on/healthcheck override: $(cat "$work/a/err")"
  "$PY" - "$work/a/startup-config.yml" <<'PY' && ok "docker-compose config shows depends_on condition and healthcheck timings" || bad "depends_on/healthcheck values"
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))["services"]["db"]
h = c["healthcheck"]  # docker-compose 1.29 prints our "1m30s" as "90s"
want = [(c["depends_on"]["cache"]["condition"], "service_started"), (h["interval"], "10s"), (h["start_period"], "90s"),
        (h["retries"], 5), (h["test"], ["CMD", "pg_isready"])]
bad = [w for w in want if w[0] != w[1]]
if bad: print("\n".join("  got %r want %r" % w for w in bad))
sys.exit(1 if bad else 0)
PY
else
  bad "override_probe not built at $probe"
fi

fi  # plain part

if [[ $part != plain ]]; then
corpus_or_skip "$corpus" "$failed"
# --- 6. a corpus file: docker-elk (ES_JAVA_OPTS, build contexts) -----------
mkdir -p "$work/elk"
cp "$corpus/deviantony__docker-elk/docker-compose.yml" "$work/elk/docker-compose.yml"
for d in setup elasticsearch logstash kibana extensions; do mkdir -p "$work/elk/$d"; done
printf 'ELASTIC_VERSION=8.15.0\n' >"$work/elk/.env"
rec "$(svc elasticsearch null $((2048 * MiB)) null null '{"knob": "elasticsearch_heap", "bytes": 1073741824}')" \
    "$(svc kibana null $((768 * MiB)) null null)" >"$work/elk/rec.json"
"$stackfit" apply -f "$work/elk/docker-compose.yml" --from "$work/elk/rec.json" >/dev/null 2>"$work/elk/err" \
  || bad "apply on docker-elk: $(cat "$work/elk/err")"
(cd "$work/elk" && docker-compose -f docker-compose.yml -f docker-compose.stackfit.yml config) >"$work/elk/config.yml" 2>"$work/elk/err" \
  || bad "docker-compose config loads docker-elk + override: $(cat "$work/elk/err")"
"$PY" - "$work/elk/config.yml" <<'PY' && ok "docker-elk: heap and limits in docker-compose config" || bad "docker-elk values"
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))["services"]
es = c["elasticsearch"]
lim = es.get("mem_limit") or es.get("deploy", {}).get("resources", {}).get("limits", {}).get("memory")
kib = c["kibana"].get("mem_limit") or c["kibana"].get("deploy", {}).get("resources", {}).get("limits", {}).get("memory")
want = [(es["environment"]["ES_JAVA_OPTS"], "-Xms1g -Xmx1g"), (str(lim).lower(), "2g"), (str(kib).lower(), "768m"),
        (es["environment"]["node.name"], "elasticsearch")]
bad = [w for w in want if w[0] != w[1]]
if bad: print("\n".join("  got %r want %r" % w for w in bad))
sys.exit(1 if bad else 0)
PY

# --- 7. kustomize: a tree from the corpus (microservices-demo base) --------
md=GoogleCloudPlatform__microservices-demo
mkdir -p "$work/k"
cp "$corpus/$md/kustomize__base__cartservice.yaml" "$work/k/cartservice.yaml"
cp "$corpus/$md/kustomize__base__loadgenerator.yaml" "$work/k/loadgenerator.yaml"
printf '# the user'"'"'s own\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- cartservice.yaml\n- loadgenerator.yaml\n' \
  >"$work/k/kustomization.yaml"
rec "$(svc cartservice $((96 * MiB)) $((192 * MiB)) 150 null '' Deployment '' server)" \
    "$(svc loadgenerator null $((384 * MiB)) null 400 '' Deployment '' main)" >"$work/rec-k.json"
"$stackfit" apply -k "$work/k" --from "$work/rec-k.json" >"$work/k/out" 2>&1 || bad "apply -k: $(cat "$work/k/out")"
check "kustomization keeps the user's content" 'grep -q "^# the user" "$work/k/kustomization.yaml" && grep -q "^- cartservice.yaml" "$work/k/kustomization.yaml"'
kubectl kustomize "$work/k" >"$work/k/rendered.yml" 2>"$work/k/err" || bad "kubectl kustomize renders: $(cat "$work/k/err")"
"$PY" - "$work/k/rendered.yml" <<'PY' && ok "kubectl kustomize renders the new resources" || bad "kubectl kustomize values"
import sys, yaml
docs = {d["metadata"]["name"]: d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d.get("kind") == "Deployment"}
def res(name, container):
    for c in docs[name]["spec"]["template"]["spec"]["containers"]:
        if c["name"] == container: return c["resources"]
cart = res("cartservice", "server"); load = res("loadgenerator", "main")
want = [(cart["limits"]["memory"], "192Mi"), (cart["requests"]["memory"], "96Mi"), (cart["requests"]["cpu"], "150m"),
        (load["limits"]["memory"], "384Mi"), (load["limits"]["cpu"], "400m")]
bad = [w for w in want if w[0] != w[1]]
if bad: print("\n".join("  got %r want %r" % w for w in bad))
sys.exit(1 if bad else 0)
PY
out=$("$stackfit" apply -k "$work/k" --from "$work/rec-k.json" --format kubectl 2>&1)
check "--format kubectl prints set resources lines" \
  '[[ "$out" == *"kubectl set resources deployment/cartservice -c server --limits=memory=192Mi --requests=cpu=150m,memory=96Mi"* ]]'

fi  # corpus part

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
