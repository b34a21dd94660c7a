#!/usr/bin/env bash
# Regenerates docs/img/report.png, the screenshot the README shows: the report
# test (tests/integration/report_test.sh) records a real Compose project under
# a private dockerd (one service OOM-killed for real), writes the page and has
# headless chromium photograph it. usage: docs/report_screenshot.sh [stackfit]   (as root)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
stackfit=${1:-$src/build/stackfit}
STACKFIT_REPORT_SCREENSHOT="$src/docs/img/report.png" bash "$src/tests/integration/report_test.sh" "$stackfit" "$src"
echo "written: $src/docs/img/report.png"
