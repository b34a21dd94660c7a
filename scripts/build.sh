#!/usr/bin/env bash
# Configures and builds stackfit into build/ (RelWithDebInfo); with
# --sanitize, the ASan+UBSan unit tests into build-asan/; with --fuzz, the
# libFuzzer targets with clang into build-fuzz/ (docs/fuzzing.md); with
# --binary, only build/stackfit (README command 1: the demo runs nothing
# else; the man page, completions, tests and benchmarks wait). The
# compiler's warnings are shown (ninja --quiet prints only what the commands
# print); with CI=true (.ci/run sets it) build/ treats them as errors
# (STACKFIT_WERROR, cmake/StandardWarnings.cmake).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
werror=OFF
[[ "${CI:-}" == true ]] && werror=ON

sanitize=0 fuzz=0 targets=()
for flag in "$@"; do
  case $flag in
    --sanitize) sanitize=1 ;;
    --fuzz) fuzz=1 ;;
    --binary) targets=(stackfit) ;;
    *) echo "build.sh: unknown flag $flag (--sanitize, --fuzz, --binary)" >&2; exit 64 ;;
  esac
done

cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTACKFIT_WERROR="$werror" >/dev/null
ninja -C "$root/build" -j "$jobs" --quiet "${targets[@]}"

if ((sanitize)); then
  cmake -S "$root" -B "$root/build-asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSTACKFIT_SANITIZE=ON \
    -DSTACKFIT_BENCH=OFF >/dev/null
  ninja -C "$root/build-asan" -j "$jobs" --quiet stackfit_unit_tests
fi

if ((fuzz)); then
  cmake -S "$root" -B "$root/build-fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTACKFIT_FUZZ=ON \
    -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
  ninja -C "$root/build-fuzz" -j "$jobs" --quiet
fi
