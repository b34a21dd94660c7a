#!/usr/bin/env bash
# Installs every Debian package stackfit needs to build, test and benchmark.
# Idempotent and quiet: does nothing when everything is already installed;
# otherwise one `apt-get update` and one `apt-get install`.
set -euo pipefail

packages=(
  # build (ccache: rebuilds and second checkouts reuse objects)
  g++ cmake ninja-build pkg-config ccache
  # libraries (DESIGN.md: Debian packages only)
  libfyaml-dev nlohmann-json3-dev libcli11-dev libexpected-dev
  libsqlite3-dev sqlite3 libcurl4-openssl-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # the libFuzzer targets of fuzz/ (build-fuzz/, docs/fuzzing.md): clang and
  # its runtime libraries (libFuzzer, ASan, UBSan)
  clang-14 libclang-rt-14-dev
  # real peers the integration tests and benchmarks compare against
  docker-compose python3 python3-yaml time hyperfine
  # the private dockerd of the recorder tests (tests/docker/dockerd_harness.sh)
  docker.io busybox-static
  # the private rootful Podman API service of tests/integration/record_podman_test.sh
  podman
  # record's /metrics is scraped by a real Prometheus, checked by promtool;
  # recommend reads Prometheus history (issue 4)
  prometheus
  # loaded services recorded under the private dockerd
  redis-server redis-tools postgresql-15 postgresql-contrib
  # plan: exact knapsack / bin-packing ILP
  libglpk-dev glpk-utils
  # report: the HTML page is loaded, checked and photographed by headless Chromium
  chromium
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
  # Server packages (prometheus, redis-server, postgresql, docker.io) must not
  # start system services: the tests start their own, on their own ports and
  # sockets. policy-rc.d answering 101 tells invoke-rc.d not to start anything.
  policy=/usr/sbin/policy-rc.d
  placed_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy" >/dev/null
    "${sudo_cmd[@]}" chmod 755 "$policy"
    placed_policy=1
  fi
  status=0
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || status=$?
  ((placed_policy)) && "${sudo_cmd[@]}" rm -f "$policy"
  exit "$status"
fi
