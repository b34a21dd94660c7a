#!/usr/bin/env bash
# `stackfit backtest --csv` through the real binary: a hand-made series whose
# kills and slack are worked out below, every output format, and broken or
# hostile CSV (missing header, wrong column count, text in numbers, negative
# bytes, timestamps out of order, a 1 GB line on stdin): one located line,
# exit 2, nothing on stdout, bounded time and memory.
# usage: backtest_csv_test.sh <stackfit> <source-dir>
set -uo pipefail
stackfit=$1
source "$2/tests/testing/checks.sh"
work=$(mktemp -d /tmp/sfbtcsv.XXXXXX)
trap 'rm -rf "$work"' EXIT

# One series, a reading every 10 minutes: 100 MiB for two days with a 200 MiB
# limit, then 400 MiB from hour 48. Every strategy's decisions before the step
# see only 100 MiB: the step kills each, and what follows shows how each
# climbs back.
python3 - "$work/step.csv" <<'PY'
import sys
MiB = 1 << 20
with open(sys.argv[1], "w") as f:
    f.write("series,timestamp_s,bytes,limit_bytes\n")
    for i in range(72 * 6):
        f.write(f"web,{1700000000 + i * 600},{(400 if i >= 48 * 6 else 100) * MiB},{200 * MiB}\n")
PY
"$stackfit" backtest --csv "$work/step.csv" --every 1h --format json --strategy declared,krr-simple,adaptive \
  >"$work/step.json" 2>"$work/err"
python3 - "$work/step.json" <<'PY' >"$work/check.txt" 2>&1 && ok "hand-worked step: $(tail -1 "$work/check.txt")" \
  || bad "step: $(cat "$work/check.txt") $(cat "$work/err")"
import json, sys
d = json.load(open(sys.argv[1]))
s = {x["name"]: x for x in d["strategies"]}
MiB = 1 << 20
# declared: 200 MiB in force; the 144 readings from hour 48 are all above it.
assert s["declared"]["oom_events"] == 144, s["declared"]
# krr-simple: 115 MiB until the step; each kill shows it only the limit, and
# it asks for 1.15x that: 115 x 1.15^k passes 400 MiB at k = 9 (404.6 MiB),
# so the limits 115 x 1.15^0..8 are each killed once: 9 kills.
assert s["krr-simple"]["oom_events"] == 9, s["krr-simple"]
# adaptive (limits rounded up to 4 MiB): its base model from hour 25,
# 100 x 1.05 + 30 = 135 -> 136 MiB; each kill at L holds at least
# max(1.5 L, L + 100 MiB): 136 -> 236 -> 354 (356) -> 534 (536): 3 kills.
assert s["adaptive"]["oom_events"] == 3, s["adaptive"]
assert s["adaptive"]["default"] and not s["krr-simple"]["default"]
print("declared 144, krr-simple 9, adaptive 3 kills")
PY

for format in table markdown csv; do
  "$stackfit" backtest --csv "$work/step.csv" --format "$format" >"$work/out.$format" 2>&1
  grep -q 'krr-simple' "$work/out.$format" && ok "format $format" || bad "format $format: $(head -3 "$work/out.$format")"
done

h="series,timestamp_s,bytes,limit_bytes"
bad_csv() {  # name, content, expected stderr after "stackfit: <file>:"
  printf '%b' "$2" >"$work/bad.csv"
  "$stackfit" backtest --csv "$work/bad.csv" >"$work/o" 2>"$work/e"
  local code=$?
  if [[ $code -eq 2 && $(cat "$work/e") == "stackfit: $work/bad.csv:$3" && ! -s "$work/o" ]]; then ok "$1"; else
    bad "$1: exit $code: $(cat "$work/e")"; fi
}
bad_csv "missing header" 'web,1,2,3\n' \
  '1:1: expected the header series,timestamp_s,bytes,limit_bytes (limit_bytes optional), found "web,1,2,3"'
bad_csv "wrong column count" "$h\nweb,1,2\n" '2:8: expected 4 columns, found 3'
bad_csv "text in numbers" "$h\nweb,1,12GB,\n" '2:7: bytes: expected a non-negative number, found "12GB"'
bad_csv "negative bytes" "$h\nweb,1,-1,\n" '2:7: bytes: expected a non-negative number, found "-1"'
bad_csv "timestamps out of order" "$h\nweb,5,1,\ndb,1,1,\nweb,4,1,\n" \
  '4:5: timestamp_s 4 is not after the previous row of series "web" (line 2)'
bad_csv "empty file" "" '1:1: empty input: expected the header series,timestamp_s,bytes,limit_bytes (limit_bytes optional)'

# A 1 GB line on stdin: refused after 64 KiB, without reading the rest.
start=$(date +%s%N)
{ echo "$h"; head -c 1073741824 /dev/zero | tr '\0' 'x'; } |
  /usr/bin/time -f '%M' -o "$work/rss" "$stackfit" backtest --csv - >"$work/o" 2>"$work/e"
code=${PIPESTATUS[1]}
ms=$((($(date +%s%N) - start) / 1000000))
rss=$(tail -1 "$work/rss")
if [[ $code -eq 2 && $(head -1 "$work/e") == "stackfit: <stdin>:2:1: line longer than 65536 bytes" ]] && ((rss < 65536)); then
  ok "1 GB line on stdin: one line, exit 2, ${rss} KB peak RSS, ${ms} ms"
else
  bad "1 GB line: exit $code, rss $rss KB: $(head -2 "$work/e")"
fi
"$stackfit" backtest --csv "$work" >"$work/o" 2>"$work/e"
[[ $? -eq 3 && $(cat "$work/e") == "stackfit: $work: not a regular file" ]] && ok "a folder: exit 3" \
  || bad "folder: $(cat "$work/e")"
"$stackfit" backtest --csv "$work/step.csv" --every 0s >"$work/o" 2>"$work/e"
[[ $? -eq 2 && $(cat "$work/e") == "stackfit: --every: must be above 0" ]] && ok "--every 0s: exit 2" \
  || bad "--every 0s: $(cat "$work/e")"
"$stackfit" backtest --csv "$work/step.csv" --warmup 200000d >"$work/o" 2>"$work/e"
[[ $? -eq 2 && $(cat "$work/e") == "stackfit: --warmup: duration \"200000d\" is longer than 36500d (100 years)" ]] && ok "--warmup 200000d: exit 2, no overflow" \
  || bad "--warmup 200000d: $(cat "$work/e")"
finish
