#!/usr/bin/env bash
# Installs every Debian package stackfit needs to build, test and benchmark.
# Idempotent and quiet: does nothing when everything is already installed;
# otherwise one `apt-get update` and one `apt-get install`.
set -euo pipefail

packages=(
  # build
  g++ cmake ninja-build pkg-config
  # libraries (DESIGN.md: Debian packages only)
  libfyaml-dev nlohmann-json3-dev libcli11-dev libfmt-dev libexpected-dev
  libsqlite3-dev sqlite3 libcurl4-openssl-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # real peers the integration tests and benchmarks compare against
  docker-compose python3 python3-yaml time hyperfine
  # the private dockerd of the recorder tests (tests/docker/dockerd_harness.sh)
  docker.io busybox-static
)
# kubectl (with kustomize) comes from the machine image's Google Cloud SDK
# repository, not from Debian; install it through apt only where it is missing.
command -v kubectl >/dev/null 2>&1 || packages+=(kubectl)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq >/dev/null
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
