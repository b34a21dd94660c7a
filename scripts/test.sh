#!/usr/bin/env bash
# README command 2: set up, build, and run every test — the unit tests, the
# integration tests against real peers, the unit tests again under
# AddressSanitizer + UndefinedBehaviorSanitizer, and a short run of every
# libFuzzer target (docs/fuzzing.md). .ci/run calls exactly this.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

"$root/scripts/setup.sh"
"$root/scripts/build.sh" --sanitize --fuzz

echo "== unit and integration tests (build/), ${SECONDS} s after the start"
ctest --test-dir "$root/build" --output-on-failure --timeout 900 -j 2

echo "== unit tests under ASan+UBSan (build-asan/), ${SECONDS} s after the start"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS=suppressions="$root/tests/lsan.supp" \
  ctest --test-dir "$root/build-asan" --output-on-failure --timeout 900 -L unit -j 2

echo "== fuzzers, a short run each (build-fuzz/, docs/fuzzing.md), ${SECONDS} s after the start"
ctest --test-dir "$root/build-fuzz" --output-on-failure --timeout 300 -L fuzz -j 2
echo "== all passed, ${SECONDS} s after the start"
