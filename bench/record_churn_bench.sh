#!/usr/bin/env bash
# 1,000 create/remove cycles of containers under `stackfit record --all
# --keep 20s`: tests/integration/record_stress_test.sh at bench size (CI runs
# 200). Writes the curve (cycle, elapsed s, recorder VmRSS KiB, store db+wal
# KiB, sample and container rows, every 10 cycles) to docs/record-stress-curve.csv
# and prints the Markdown table of every 100th point for docs/record-stress.md.
# Not a CI test: about 20 minutes on a shared 2-vCPU machine.
# usage: bench/record_churn_bench.sh <stackfit> [cycles]     (as root)
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
stackfit=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cycles=${2:-1000}
curve=$here/docs/record-stress-curve.csv
STACKFIT_STRESS_CYCLES=$cycles STACKFIT_STRESS_CURVE=$curve \
  bash "$here/tests/integration/record_stress_test.sh" "$stackfit" "$here" || echo "(the test failed: see above)"
/usr/bin/python3 "$here/bench/record_churn_table.py" "$curve"
