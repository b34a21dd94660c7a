#!/usr/bin/env bash
# `stackfit report` over a 14-day, 50-service recording (one sample every
# 10 s: 6,048,000 samples, generated once by bench/recommend_bench, the
# recommend benchmark's generator: daily waves, leaks, an OOM kill on day 2):
# the time and peak RSS of writing the page, its size, and how long headless
# Debian chromium takes to open it. The aims (issue 15): under 5 MB, under 2 s.
# Load time: a copy of the page with one measuring script (the page itself has
# none) puts Navigation Timing's loadEventEnd and the time of the second
# animation frame after load (layout and paint done) into the title, which
# --dump-dom prints. docs/report.md, "Size and speed".
# usage: bench/report_bench.sh [build-dir] [work-dir]
set -euo pipefail
build=${1:-build}
work=${2:-/tmp/stackfit-report-bench}
src=$(cd "$(dirname "$0")/.." && pwd)
source "$src/tests/testing/chromium.sh"
mkdir -p "$work"
if [ ! -s "$work/14d50.db" ]; then
  "$build/bench/recommend_bench" --store "$work/14d50.db" --series 50 --days 14 --interval-s 10 >/dev/null
fi
echo "store: $(du -h "$work/14d50.db" | cut -f1), $(sqlite3 "$work/14d50.db" 'SELECT count(*) FROM samples') samples"
/usr/bin/time -f "report: wall %e s, user %U s, max RSS %M KB" \
  "$build/stackfit" report --db "$work/14d50.db" --since 15d --budget 64Gi --output "$work/report.html" --force
echo "page: $(stat -c %s "$work/report.html") bytes"
# The measuring copy: CSP relaxed for its one inline script.
sed -e 's/<meta http-equiv="Content-Security-Policy"[^>]*>//' \
  -e 's#</body>#<script>addEventListener("load",()=>{const n=performance.getEntriesByType("navigation")[0];requestAnimationFrame(()=>requestAnimationFrame(()=>{document.title="load "+n.loadEventEnd.toFixed(0)+" ms, painted "+performance.now().toFixed(0)+" ms"}))})</script></body>#' \
  "$work/report.html" >"$work/measure.html"
for run in 1 2 3; do
  chromium_run --virtual-time-budget=10000 --dump-dom "file://$work/measure.html" 2>/dev/null |
    grep -o "<title>[^<]*</title>" | head -1 | sed "s/<[^>]*>//g; s/^/chromium run $run: /"
done
