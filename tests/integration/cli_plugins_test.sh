#!/usr/bin/env bash
# stackfit as a Docker CLI plugin and a kubectl plugin (docs/install.md),
# through the real docker and kubectl binaries: a throw-away DOCKER_CONFIG
# whose cli-plugins/docker-stackfit links to the build's binary, and a PATH
# holding kubectl-stackfit. Nothing reaches a network: DOCKER_HOST and
# KUBECONFIG name files that do not exist, and no command run here needs an
# engine or a cluster.
set -euo pipefail
stackfit=$(realpath "$1")
root=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
docker=$(command -v docker) || fail "docker CLI not installed (scripts/setup.sh: docker.io)"
kubectl=$(command -v kubectl) || fail "kubectl not installed (scripts/setup.sh)"
export DOCKER_HOST="unix://$tmp/no-engine.sock" KUBECONFIG="$tmp/no-kubeconfig"
version=$("$stackfit" version --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
example=(-f "$root/examples/fastapi-celery/compose.yaml")
"$stackfit" inspect "${example[@]}" >"$tmp/direct.txt"

# Docker: the metadata protocol, then docker itself.
mkdir -p "$tmp/docker/cli-plugins"
ln -s "$stackfit" "$tmp/docker/cli-plugins/docker-stackfit"
export DOCKER_CONFIG="$tmp/docker"
"$tmp/docker/cli-plugins/docker-stackfit" docker-cli-plugin-metadata >"$tmp/meta.json"
python3 - "$tmp/meta.json" "$version" <<'PY'
import json, sys
meta = json.load(open(sys.argv[1]))
assert meta["SchemaVersion"] == "0.1.0", meta
assert meta["Vendor"] == "stackfit" and meta["Version"] == sys.argv[2] and meta["ShortDescription"], meta
PY
"$docker" help >"$tmp/docker-help.txt" 2>&1 || true
grep -Eq '^ +stackfit\*? +Memory and CPU each service of a stack needs' "$tmp/docker-help.txt" ||
  fail "docker help does not list stackfit: $(grep -i stackfit "$tmp/docker-help.txt")"
"$docker" stackfit --version >"$tmp/docker-version.txt" || fail "docker stackfit --version"
head -1 "$tmp/docker-version.txt" | grep -qx "stackfit $version" || fail "$(cat "$tmp/docker-version.txt")"
"$docker" stackfit inspect "${example[@]}" >"$tmp/docker.txt"
cmp -s "$tmp/direct.txt" "$tmp/docker.txt" || fail "docker stackfit inspect differs from stackfit inspect"
set +e
"$docker" stackfit inspcet >/dev/null 2>"$tmp/err"
code=$?
set -e
[[ $code -eq 2 ]] || fail "docker stackfit inspcet: exit $code"
grep -q 'stackfit: usage: unknown command "inspcet"; did you mean "inspect"?' "$tmp/err" || fail "$(cat "$tmp/err")"

# kubectl: a plugin is any kubectl-* executable on PATH.
mkdir "$tmp/bin"
ln -s "$stackfit" "$tmp/bin/kubectl-stackfit"
PATH="$tmp/bin" "$kubectl" plugin list >"$tmp/plugins.txt" 2>&1 || fail "kubectl plugin list: $(cat "$tmp/plugins.txt")"
grep -qx "$tmp/bin/kubectl-stackfit" "$tmp/plugins.txt" || fail "kubectl plugin list: $(cat "$tmp/plugins.txt")"
PATH="$tmp/bin" "$kubectl" stackfit --version >"$tmp/kubectl-version.txt" || fail "kubectl stackfit --version"
cmp -s <("$stackfit" --version) "$tmp/kubectl-version.txt" || fail "kubectl stackfit --version differs"
PATH="$tmp/bin" "$kubectl" stackfit inspect "${example[@]}" >"$tmp/kubectl.txt"
cmp -s "$tmp/direct.txt" "$tmp/kubectl.txt" || fail "kubectl stackfit inspect differs from stackfit inspect"
echo "cli_plugins_test: ok ($("$docker" --version), kubectl plugin)"
