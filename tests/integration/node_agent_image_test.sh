#!/usr/bin/env bash
# The node agent's image and manifest (docs/node-agent.md):
#  1. deploy/image/build_image.sh builds the image FROM scratch on a private
#     dockerd (tests/docker/dockerd_harness.sh), nothing pulled; `stackfit
#     --version` runs in it with --network none, as uid 65534, on a read-only
#     root filesystem.
#  2. `kubectl kustomize deploy/kubernetes` renders the manifest; `stackfit
#     inspect -k -` reads it and shows the agent's requests and limits; the
#     DaemonSet's security settings are checked in the rendered text.
#  3. `kubectl apply --dry-run=client` needs an API server even with
#     --validate=false (it asks the server for its API groups), so it is run
#     only when one answers, else reported as skipped with that reason.
# usage: node_agent_image_test.sh <stackfit> <source-dir>     (root for part 1)
set -uo pipefail
stackfit=$1
source_dir=$2
source "$source_dir/tests/testing/checks.sh"  # ok, bad, finish
harness=$source_dir/tests/docker/dockerd_harness.sh
work=$(mktemp -d /tmp/sfagent.XXXXXX)
state=/tmp/sfagent-d.$$
cleanup() {
  [[ $(id -u) -eq 0 ]] && "$harness" stop "$state"
  rm -rf "$work" "$state"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- 1. the image ------------------------------------------------------------------
if [[ $(id -u) -ne 0 ]] || ! command -v dockerd >/dev/null; then
  info "image part skipped: needs root and Debian's dockerd"
elif ! "$harness" start "$state" 2>"$work/harness.err"; then
  bad "private dockerd: $(cat "$work/harness.err")"
else
  export DOCKER=/usr/bin/docker DOCKER_HOST="unix://$state/docker.sock" DOCKER_CONFIG="$state/cli"
  if image=$("$source_dir/deploy/image/build_image.sh" "$stackfit" stackfit-node-agent:test 2>"$work/build.err"); then
    files=$(docker image inspect -f '{{.Size}}' stackfit-node-agent:test)
    ok "image built FROM scratch, nothing pulled: $image, $((files / 1024)) KiB"
  else
    bad "build_image.sh: $(tail -2 "$work/build.err")"
  fi
  want=$("$stackfit" --version)
  got=$(docker run --rm --network none --read-only stackfit-node-agent:test --version 2>"$work/run.err")
  [[ $? -eq 0 && $got == "$want" && -n $got ]] && ok "docker run --network none --read-only: '$got'" \
    || bad "run --version: '$got' ($(head -1 "$work/run.err")), want '$want'"
  user=$(docker image inspect -f '{{.Config.User}}' stackfit-node-agent:test)
  [[ $user == 65534:65534 ]] && ok "the image runs as $user (nobody)" || bad "image user '$user'"
  # Unknown flag in the image: the binary's own usage error, exit 2 (its libraries all load).
  docker run --rm --network none stackfit-node-agent:test record --no-such-flag >/dev/null 2>"$work/flag.err"
  code=$?
  [[ $code -eq 2 ]] && ok "a bad flag in the image: exit 2, '$(head -1 "$work/flag.err")'" \
    || bad "bad flag: exit $code: $(head -1 "$work/flag.err")"
fi

# ---- 2. the manifest ----------------------------------------------------------------
if ! command -v kubectl >/dev/null; then
  info "manifest part skipped: no kubectl"
  finish
fi
kubectl kustomize "$source_dir/deploy/kubernetes" >"$work/rendered.yaml" 2>"$work/kustomize.err" \
  && ok "kubectl kustomize deploy/kubernetes: $(grep -c '^kind:' "$work/rendered.yaml") objects ($(grep '^kind:' "$work/rendered.yaml" | cut -d' ' -f2 | tr '\n' ' '))" \
  || bad "kustomize: $(head -1 "$work/kustomize.err")"
"$stackfit" inspect -k - --format json <"$work/rendered.yaml" >"$work/inspect.json" 2>"$work/inspect.err"
code=$?
got=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = [x for x in d["services"] if x["name"] == "stackfit-node-agent"][0]
m, c = s["memory"], s["cpu"]
print("/".join([s["namespace"], s["kind"], s["name"]]), s["replica_mode"], m["request_bytes"] >> 20, m["limit_bytes"] >> 20,
      c["request_millicores"], c["limit_millicores"])
' "$work/inspect.json" 2>&1)
[[ $code -eq 0 && $got == "stackfit/DaemonSet/stackfit-node-agent per_node 32 64 10 100" ]] \
  && ok "stackfit inspect -k -: $got (MiB request/limit, millicores request/limit)" \
  || bad "inspect: exit $code, '$got' $(head -1 "$work/inspect.err")"
"$stackfit" inspect -k - <"$work/rendered.yaml" | grep -E 'SERVICE|stackfit-node-agent' | sed 's/^/info   /'
checks=$(python3 - "$work/rendered.yaml" <<'PY'
import sys
text = open(sys.argv[1]).read()
want = ["readOnlyRootFilesystem: true", "allowPrivilegeEscalation: false", "- ALL", "runAsNonRoot: true",
        "hostPID: false", "automountServiceAccountToken: false", "prometheus.io/scrape: \"true\"",
        "prometheus.io/port: \"9101\"", "path: /sys/fs/cgroup", "path: /var/log/pods"]
missing = [w for w in want if w not in text]
ro = text.count("readOnly: true")
print("missing: " + ", ".join(missing) if missing or ro != 3 else f"all {len(want)} settings, {ro} read-only host mounts")
PY
)
[[ $checks == all* ]] && ok "rendered DaemonSet: $checks" || bad "rendered DaemonSet: $checks"

# ---- 3. apply --dry-run=client ---------------------------------------------------------
if kubectl version --request-timeout=3s >/dev/null 2>&1; then
  kubectl apply --dry-run=client -f "$work/rendered.yaml" >"$work/apply.out" 2>&1 \
    && ok "kubectl apply --dry-run=client: $(tr '\n' ';' <"$work/apply.out")" || bad "apply: $(head -1 "$work/apply.out")"
else
  info "kubectl apply --dry-run=client skipped: it asks an API server for its API groups even with --validate=false, and none answers here"
fi
finish
