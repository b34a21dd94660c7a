#!/usr/bin/env bash
# `stackfit report` from a real recording: a private dockerd
# (tests/docker/dockerd_harness.sh) runs a Compose project in which `hog` is
# OOM-killed for real (it grows 2 MiB every 0.1 s past its 32 MiB, is
# restarted once and killed again) and `steady` holds ~40 MiB; `record` stores both, then
# `report` writes the page and headless Debian chromium loads it: no console
# error, one chart pair per service (data-service), the real OOM kill as a
# marker on hog's chart, a screenshot kept (STACKFIT_REPORT_SCREENSHOT=PATH
# copies it there: docs/report_screenshot.sh makes the README's this way).
# Bad input: no samples in the store, a service with one sample, a service
# name with <script> and quotes (escaped: nothing runs), an existing output
# (refused without --force, left as it was), a missing store.
# usage: report_test.sh <stackfit> <source-dir>     (as root)
set -uo pipefail
stackfit=$1
src_dir=$2
command -v chromium >/dev/null || { echo "skip: chromium is not installed (scripts/setup.sh)"; exit 77; }
source "$2/tests/integration/record_common.sh" "$2" sfrep
source "$2/tests/testing/chromium.sh"

cat >"$work/compose.yml" <<YAML
version: "2.4"
services:
  steady:
    image: stackfit-base:latest
    network_mode: none
    mem_limit: 96m
    volumes: ["/usr:/usr:ro"]
    command: ["python3", "-c", "import time; b = bytearray(40 << 20); time.sleep(600)"]
  hog:
    image: stackfit-base:latest
    network_mode: none
    mem_limit: 32m
    memswap_limit: 32m
    volumes: ["/usr:/usr:ro"]
    restart: on-failure:1
    command: ["sh", "-c", "sleep 3; python3 -c 'import time\nb = []\nwhile True: b.append(bytearray(2 << 20)); time.sleep(0.1)'"]
YAML
db="$work/rec.db"
# Recording starts before the project, so both starts are inside it.
"$stackfit" record -p sfrep --project sfrep --host "unix://$sock" --interval 500ms --duration 14s \
  --db "$db" >/dev/null 2>"$work/rec.err" &
background_pid=$!
sleep 1
compose up -d >"$work/up.log" 2>&1 || { bad "compose up: $(tail -1 "$work/up.log")"; finish; }
wait "$background_pid"
code=$?
background_pid=""
[[ $code -eq 0 ]] && ok "record exits 0" || bad "record exit $code: $(cat "$work/rec.err")"

# page_check - EXPR: EXPR over the DOM chromium rendered last (tests/testing/dom_query.py).
page_check() { /usr/bin/python3 "$src_dir/tests/testing/dom_query.py" "$work/dom.html" "$2"; }
render() {  # render PAGE: DOM into $work/dom.html, log into $work/chrome.log
  chromium_dom "$1" "$work/dom.html" "$work/chrome.log" || { bad "chromium on $1 exit $?"; return 1; }
}

# ---- the page of the real recording ----------------------------------------
page="$work/report.html"
"$stackfit" report -f "$work/compose.yml" -p sfrep --db "$db" --budget 512Mi --output "$page" 2>"$work/err"
code=$?
[[ $code -eq 0 && -s $page ]] && ok "report exits 0 and writes $(stat -c %s "$page") bytes" \
  || bad "report exit $code: $(cat "$work/err")"
grep -qE '<script|src=|https?://' "$page" && bad "page has a script or fetches something" \
  || ok "page has no script and fetches nothing"
if render "$page"; then
  errors=$(chromium_console_errors "$work/chrome.log")
  [[ -z $errors ]] && ok "chromium loads it with no console error" || bad "console: $errors"
  [[ $(page_check x "sorted(e['attrs']['data-service'] for e in services())") == "['hog', 'steady']" ]] \
    && ok "one service block per service (data-service)" || bad "services: $(page_check x "[e['attrs'] for e in services()]")"
  [[ $(page_check x "[len(inside(n, 'svg', 'memory-chart')) + len(inside(n, 'svg', 'cpu-chart')) for n in ('hog', 'steady')]") == "[2, 2]" ]] \
    && ok "a memory and a CPU chart per service" || bad "charts per service"
  ooms=$(page_check x "len(inside('hog', 'g', 'oom'))")
  ((ooms >= 1)) && ok "hog's chart marks the real OOM kill ($ooms)" || bad "hog OOM markers: $ooms"
  [[ $(page_check x "len(inside('steady', 'g', 'oom'))") == 0 ]] && ok "steady has no OOM marker" || bad "steady OOM markers"
  [[ $(page_check x "len(inside('steady', 'rect', 'startup'))") -ge 1 ]] && ok "steady's start-up window is shaded" \
    || bad "steady start-up window"
  [[ $(page_check x "len([e for e in dom if 'budget' in (e['attrs'].get('class') or '').split()])") == 1 ]] \
    && ok "the stack chart has the budget line" || bad "budget line"
  waves=$(page_check x "len([e for e in dom if e['tag'] == 'tr' and any((q['attrs'].get('class') or '') == 'waves' for q in e['parents'])])")
  ((waves >= 2)) && ok "the start-up waves are tabled ($((waves - 1)) waves)" || bad "start-up waves: $waves rows"
fi
chromium_shot "$page" "$work/report.png" 1200,1500
[[ -s $work/report.png ]] && ok "screenshot taken ($(stat -c %s "$work/report.png") bytes)" || bad "screenshot"
[[ -n ${STACKFIT_REPORT_SCREENSHOT:-} && -s $work/report.png ]] && cp "$work/report.png" "$STACKFIT_REPORT_SCREENSHOT"

# ---- an existing output: refused without --force, left as it was -----------
before=$(sha256sum <"$page")
err=$("$stackfit" report -f "$work/compose.yml" -p sfrep --db "$db" --output "$page" 2>&1)
code=$?
[[ $code -eq 2 && $err == "stackfit: $page: already exists; not overwritten (use --force to replace it)" ]] \
  && ok "existing output refused: exit 2, one line" || bad "existing output: exit $code: $err"
[[ $(sha256sum <"$page") == "$before" ]] && ok "existing output untouched" || bad "existing output changed"
"$stackfit" report -f "$work/compose.yml" -p sfrep --db "$db" --output "$page" --force 2>/dev/null \
  && ok "--force replaces it" || bad "--force"
ls "$work" | grep -q '\.tmp' && bad "a temporary file was left" || ok "no temporary file left"

# ---- hostile names: <script> and quotes are shown, never run -----------------
hostile_db="$work/hostile.db"
cp "$db" "$hostile_db"
name='<script>document.title="pwned"</script>"x'"'"'y'
sqlite3 "$hostile_db" "UPDATE containers SET service = '$(sed "s/'/''/g" <<<"$name")' WHERE service = 'steady'"
"$stackfit" report --db "$hostile_db" --output "$work/hostile.html" 2>"$work/err" || bad "hostile report: $(cat "$work/err")"
if render "$work/hostile.html"; then
  [[ $(page_check x "len([e for e in dom if e['tag'] == 'script'])") == 0 ]] && ok "a <script> name makes no script element" \
    || bad "script element in the DOM"
  shown=$(NAME="$name" page_check x "int(__import__('os').environ['NAME'] in [e['attrs']['data-service'] for e in services()])")
  [[ $shown == 1 ]] && ok "the name is kept verbatim in data-service" || bad "hostile name not found in the DOM"
  grep -q 'pwned' "$work/chrome.log" && bad "the name ran" || ok "nothing ran"
fi

# ---- one sample, and none -----------------------------------------------------
one_db="$work/one.db"
cp "$db" "$one_db"
sqlite3 "$one_db" "DELETE FROM samples WHERE container_key IN (SELECT key FROM containers WHERE service = 'steady')
  AND time_ns > (SELECT min(time_ns) FROM samples s JOIN containers c ON c.key = s.container_key WHERE c.service = 'steady')"
"$stackfit" report --db "$one_db" --output "$work/one.html" 2>"$work/err" && ok "one sample: report exits 0" \
  || bad "one sample: $(cat "$work/err")"
render "$work/one.html" && [[ $(page_check x "len(inside('steady', 'circle', 'dot'))") == 1 ]] \
  && ok "a service with one sample is drawn as a dot" || bad "one-sample dot"
empty_db="$work/empty.db"
cp "$db" "$empty_db"
sqlite3 "$empty_db" "DELETE FROM samples"
err=$("$stackfit" report --db "$empty_db" --output "$work/empty.html" 2>&1)
code=$?
[[ $code -eq 2 && $err == "stackfit: $empty_db: no samples of any service in the last 14d" && ! -e $work/empty.html ]] \
  && ok "empty store: exit 2, one line, no file" || bad "empty store: exit $code: $err"
err=$("$stackfit" report --db "$work/none.db" --output "$work/none.html" 2>&1)
code=$?
[[ $code -eq 2 && $err == "stackfit: $work/none.db: no sample store (record history first with \`stackfit record\`)" ]] \
  && ok "missing store: exit 2, one line" || bad "missing store: exit $code: $err"
finish
