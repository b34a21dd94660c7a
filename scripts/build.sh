#!/usr/bin/env bash
# Configures and builds stackfit into build/ (RelWithDebInfo); with
# --sanitize, the ASan+UBSan unit tests into build-asan/; with --fuzz, the
# libFuzzer targets with clang into build-fuzz/ (docs/fuzzing.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)

cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$root/build" -j "$jobs" >/dev/null

sanitize=0 fuzz=0
for flag in "$@"; do
  case $flag in
    --sanitize) sanitize=1 ;;
    --fuzz) fuzz=1 ;;
    *) echo "build.sh: unknown flag $flag (--sanitize, --fuzz)" >&2; exit 64 ;;
  esac
done

if ((sanitize)); then
  cmake -S "$root" -B "$root/build-asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSTACKFIT_SANITIZE=ON \
    -DSTACKFIT_BENCH=OFF >/dev/null
  ninja -C "$root/build-asan" -j "$jobs" stackfit_unit_tests >/dev/null
fi

if ((fuzz)); then
  cmake -S "$root" -B "$root/build-fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTACKFIT_FUZZ=ON \
    -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
  ninja -C "$root/build-fuzz" -j "$jobs" >/dev/null
fi
