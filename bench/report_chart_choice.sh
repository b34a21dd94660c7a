#!/usr/bin/env bash
# How `stackfit report` draws (docs/report.md, "Chart technology"): the page
# bench/report_bench.sh writes (SVG drawn by stackfit, no script) against the
# same charts drawn by Debian's libjs-chart.js inlined into the page: 50
# services x the same number of buckets, a memory and a CPU chart each, and
# the stacked total (animation off, no point dots). Prints each page's size and
# headless chromium's load and paint times (the measuring script of
# report_bench.sh). Needs libjs-chart.js installed (only for this comparison)
# and report_bench.sh's page in the work folder.
# usage: bench/report_chart_choice.sh [work-dir]
set -euo pipefail
work=${1:-/tmp/stackfit-report-bench}
src=$(cd "$(dirname "$0")/.." && pwd)
source "$src/tests/testing/chromium.sh"
lib=/usr/share/javascript/chart.js/chart.min.js
[ -s "$lib" ] || { echo "libjs-chart.js is not installed"; exit 1; }
[ -s "$work/measure.html" ] || { echo "run bench/report_bench.sh first"; exit 1; }
buckets=$(/usr/bin/python3 -c 'import re,sys; print(len(re.findall("[ML]", re.search("class=\"memory\" d=\"([^\"]*)\"", open(sys.argv[1]).read()).group(1))))' "$work/measure.html")
/usr/bin/python3 - "$lib" "$buckets" "$work/chartjs.html" <<'PY'
import json, math, sys
lib, n, out = open(sys.argv[1]).read(), int(sys.argv[2]), sys.argv[3]
services = []
for s in range(50):
    base = (64 + (s * 37) % 1984) << 20
    mem = [int(base * (1 + 0.1 * math.sin(i / n * 14 * 2 * math.pi)) + ((i * 7919 + s) % 997) * 4096) for i in range(n)]
    cpu = [int(50 + (s * 9) % 450 + 20 * math.sin(i / 7)) for i in range(n)]
    services.append({"name": "svc-%d" % s, "mem": mem, "cpu": cpu, "limit": base * 2})
page = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>chart.js</title></head><body>',
        '<canvas id="stack" width="1140" height="300"></canvas>']
for s in services:
    page.append('<div data-service="%s"><canvas width="560" height="190"></canvas><canvas width="560" height="190"></canvas></div>' % s["name"])
page.append('<script>' + lib + '</script><script>const D=' + json.dumps(services, separators=(',', ':')) + ';')
page.append('''Chart.defaults.animation=false;Chart.defaults.responsive=false;Chart.defaults.elements.point.radius=0;
const L=[...Array(D[0].mem.length).keys()];
new Chart(document.getElementById("stack"),{type:"line",data:{labels:L,datasets:D.map(s=>({label:s.name,data:s.mem,fill:true}))},options:{scales:{y:{stacked:true}},plugins:{legend:{display:false}}}});
document.querySelectorAll("div[data-service]").forEach((d,i)=>{const c=d.querySelectorAll("canvas");
new Chart(c[0],{type:"line",data:{labels:L,datasets:[{data:D[i].mem},{data:L.map(()=>D[i].limit)}]},options:{plugins:{legend:{display:false}}}});
new Chart(c[1],{type:"line",data:{labels:L,datasets:[{data:D[i].cpu}]},options:{plugins:{legend:{display:false}}}});});
addEventListener("load",()=>{const n=performance.getEntriesByType("navigation")[0];requestAnimationFrame(()=>requestAnimationFrame(()=>{document.title="load "+n.loadEventEnd.toFixed(0)+" ms, painted "+performance.now().toFixed(0)+" ms"}))});
</script></body></html>''')
open(out, "w").write("\n".join(page))
PY
echo "buckets per chart: $buckets; chart.min.js: $(stat -c %s "$lib") bytes"
for page in measure chartjs; do
  echo "$page.html: $(stat -c %s "$work/$page.html") bytes"
  for run in 1 2 3; do
    chromium_run --virtual-time-budget=10000 --dump-dom "file://$work/$page.html" 2>/dev/null |
      grep -o "<title>[^<]*</title>" | head -1 | sed "s/<[^>]*>//g; s/^/  run $run: /"
  done
done
