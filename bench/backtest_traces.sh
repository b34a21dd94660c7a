#!/usr/bin/env bash
# The backtest tables of docs/backtest.md, rerun: converts the shared real
# traces (bench/traces_to_csv.sh) and replays each through every strategy.
#   bench/backtest_traces.sh [BUILD_DIR] [WORK_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
work=${2:-$(mktemp -d)}
bash "$root/bench/traces_to_csv.sh" "$work" 2>/dev/null
echo "### Bitbrains Rnd 2013-08 (30 VMs, a month, 5-minute readings): default protocol"
echo
"$build/stackfit" backtest --csv "$work/bitbrains.csv" --format markdown
echo
echo "### Alibaba GenTD26 (pods, 22.8 h, 57-second readings): --warmup 12h"
echo
"$build/stackfit" backtest --csv "$work/alibaba.csv" --warmup 12h --format markdown
echo
echo "### Alibaba GenTD26: --warmup 12h --every 1h"
echo
"$build/stackfit" backtest --csv "$work/alibaba.csv" --warmup 12h --every 1h --format markdown
