#!/usr/bin/env bash
# Configures and builds stackfit into build/ (RelWithDebInfo) and, with
# --sanitize, the ASan+UBSan unit tests into build-asan/. The compiler's
# warnings are shown (ninja --quiet prints only what the commands print);
# with CI=true (.ci/run sets it) build/ treats them as errors
# (STACKFIT_WERROR, cmake/StandardWarnings.cmake).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
werror=OFF
[[ "${CI:-}" == true ]] && werror=ON

cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTACKFIT_WERROR="$werror" >/dev/null
ninja -C "$root/build" -j "$jobs" --quiet

if [[ "${1:-}" == "--sanitize" ]]; then
  cmake -S "$root" -B "$root/build-asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSTACKFIT_SANITIZE=ON \
    -DSTACKFIT_BENCH=OFF >/dev/null
  ninja -C "$root/build-asan" -j "$jobs" --quiet stackfit_unit_tests
fi
