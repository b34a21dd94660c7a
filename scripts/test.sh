#!/usr/bin/env bash
# README command 2: set up, build, and run every test — the unit tests, the
# integration tests against real peers, and the unit tests again under
# AddressSanitizer + UndefinedBehaviorSanitizer. .ci/run calls exactly this.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

"$root/scripts/setup.sh"
"$root/scripts/build.sh" --sanitize

echo "== unit and integration tests (build/)"
ctest --test-dir "$root/build" --output-on-failure --timeout 900 -j 2

echo "== unit tests under ASan+UBSan (build-asan/)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS=suppressions="$root/tests/lsan.supp" \
  ctest --test-dir "$root/build-asan" --output-on-failure --timeout 900 -L unit -j 2
