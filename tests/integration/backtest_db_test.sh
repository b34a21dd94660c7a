#!/usr/bin/env bash
# `stackfit backtest --db` over a real recording: a private dockerd
# (tests/docker/dockerd_harness.sh) runs a Compose 1.29 project whose
# containers run the host's python3 under real limits:
#   leak   grows by 1 MiB every 0.1 s (a leak) in a 512 MiB container
#   spike  takes 80 MiB for 3 s at its start, then settles at 20 MiB
#   hog    allocates past its 48 MiB limit after 30 s: a real OOM kill
# `stackfit record` stores 40 s of it; `backtest --db` replays it with a 20 s
# warm-up and a decision every 5 s. Checks: the three series, the recorded
# kill counted under the declared limit, the leak killing KRR's limits more
# often than adaptive's (KRR steps 15 % above what it saw; adaptive keeps a
# headroom and holds 1.5x for a day after a kill), the start-up spike covered, the JSON contract
# (docs/backtest-json.md), and one-line errors for a missing store, a store
# without the project, and conflicting sources.
# usage: backtest_db_test.sh <stackfit> <source-dir>     (as root)
set -uo pipefail
stackfit=$1
source "$2/tests/integration/record_common.sh" "$2" sfbt

cat >"$work/compose.yml" <<'YAML'
version: "2.4"
services:
  leak:
    image: stackfit-base:latest
    network_mode: none
    mem_limit: 512m
    volumes: ["/usr:/usr:ro"]
    command: ["python3", "-c", "import time\nk = []\nfor i in range(450):\n    k.append(bytearray(1 << 20)); time.sleep(0.1)\ntime.sleep(600)"]
  spike:
    image: stackfit-base:latest
    network_mode: none
    mem_limit: 96m
    volumes: ["/usr:/usr:ro"]
    command: ["sh", "-c", "sleep 4; python3 -c 'import time; a = bytearray(80 << 20); time.sleep(3); del a; b = bytearray(20 << 20); time.sleep(600)'"]
  hog:
    image: stackfit-base:latest
    network_mode: none
    mem_limit: 48m
    memswap_limit: 48m
    volumes: ["/usr:/usr:ro"]
    command: ["sh", "-c", "python3 -c 'import time; b = bytearray(8 << 20); time.sleep(30)'; python3 -c 'b = bytearray(200 << 20)'; sleep 600"]
YAML
compose up -d >"$work/up.log" 2>&1 || { bad "compose up: $(tail -1 "$work/up.log")"; finish; }

db="$work/rec.db"
"$stackfit" record -f "$work/compose.yml" -p sfbt --host "unix://$sock" --interval 200ms --duration 40s \
  --db "$db" --format json >"$work/out.json" 2>"$work/rec.err"
code=$?
[[ $code -eq 0 ]] && ok "record exits 0" || { bad "record exit $code: $(cat "$work/rec.err")"; finish; }
ooms=$(json "s['hog']['oom_kills']")
((ooms >= 1)) && ok "hog was OOM-killed for real ($ooms)" || bad "hog oom_kills $ooms"

"$stackfit" backtest --db "$db" --project sfbt --since 1h --warmup 20s --every 5s --format json \
  >"$work/bt.json" 2>"$work/bt.err"
code=$?
[[ $code -eq 0 ]] && ok "backtest --db exits 0" || { bad "backtest exit $code: $(cat "$work/bt.err")"; finish; }
python3 - "$work/bt.json" <<'PY' >"$work/check.txt" 2>&1 && ok "replay of the recording: $(tail -1 "$work/check.txt")" \
  || bad "replay check: $(cat "$work/check.txt")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "stackfit.backtest/1" and d["source"]["kind"] == "store", d["source"]
assert d["warmup_s"] == 20 and d["every_s"] == 5
names = [s["name"] for s in d["strategies"]]
assert names == ["declared", "krr-simple", "vpa", "adaptive", "peak", "percentile"], names
assert [s["name"] for s in d["strategies"] if s["default"]] == ["adaptive"]
series = {s["id"]: {x["name"]: x for x in s["strategies"]} for s in d["series"]}
assert sorted(series) == ["hog", "leak", "spike"], sorted(series)
# The recorded kill: past the warm-up, under the limit the container had.
assert series["hog"]["declared"]["oom_events"] >= 1, series["hog"]["declared"]
assert series["hog"]["adaptive"]["oom_events"] >= 1  # its demand was 200 MiB: every strategy meets it
# The leak: KRR steps 15 % above each kill, adaptive holds 1.5x for a day.
krr, ada = series["leak"]["krr-simple"], series["leak"]["adaptive"]
assert krr["oom_events"] >= 2 and krr["oom_events"] > ada["oom_events"], (krr["oom_events"], ada["oom_events"])
# The start-up spike (80 MiB, in the warm-up) stays covered once the service
# settles at 20 MiB: no kill, and a limit above the spike.
sp = series["spike"]
assert sp["adaptive"]["oom_events"] == 0 and sp["krr-simple"]["oom_events"] == 0, sp
assert sp["adaptive"]["mean_limit_bytes"] >= 80 << 20, sp["adaptive"]
for s in d["series"]:
    for x in s["strategies"]:
        assert 0 <= x["slack_ratio"] <= 1 and x["evaluated_points"] > 0, x
print(f"leak kills krr-simple {krr['oom_events']} vs adaptive {ada['oom_events']}; "
      f"hog declared {series['hog']['declared']['oom_events']}; spike adaptive mean limit "
      f"{sp['adaptive']['mean_limit_bytes'] >> 20} MiB")
PY

"$stackfit" backtest --db "$db" --project sfbt --since 1h --warmup 20s --every 5s --per-series \
  --strategy krr-simple,adaptive >"$work/table.txt" 2>&1
grep -Eq '^leak +krr-simple +[0-9]+' "$work/table.txt" && grep -Eq '^\(all\) +adaptive \(default\)' "$work/table.txt" \
  && ok "--per-series table" || bad "table: $(head -5 "$work/table.txt")"

one_line() {  # name, expected exit, expected stderr, command...
  local name=$1 want=$2 text=$3; shift 3
  "$@" >"$work/o" 2>"$work/e"
  local got=$?
  if [[ $got -eq $want && $(cat "$work/e") == "$text" && ! -s "$work/o" ]]; then ok "$name"; else
    bad "$name: exit $got, $(cat "$work/e")"; fi
}
one_line "missing store: one line, exit 2" 2 "stackfit: $work/none.db: no sample store (record history first with \`stackfit record\`)" \
  "$stackfit" backtest --db "$work/none.db"
one_line "no such project: one line, exit 2" 2 "stackfit: $db: no samples of project \"other\" in the last 30d" \
  "$stackfit" backtest --db "$db" --project other
one_line "two sources: exit 2" 2 "stackfit: --csv, --db and --prometheus: give one history source" \
  "$stackfit" backtest --db "$db" --csv "$work/x.csv"
one_line "unknown strategy: exit 2" 2 \
  "stackfit: unknown strategy \"krr\" (expected krr-simple, vpa, adaptive, peak, percentile)" \
  "$stackfit" backtest --db "$db" --strategy krr
finish
