#!/usr/bin/env bash
# Configures and builds stackfit into build/ (RelWithDebInfo) and, with
# --sanitize, the ASan+UBSan unit tests into build-asan/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)

cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$root/build" -j "$jobs" >/dev/null

if [[ "${1:-}" == "--sanitize" ]]; then
  cmake -S "$root" -B "$root/build-asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSTACKFIT_SANITIZE=ON \
    -DSTACKFIT_BENCH=OFF >/dev/null
  ninja -C "$root/build-asan" -j "$jobs" stackfit_unit_tests >/dev/null
fi
