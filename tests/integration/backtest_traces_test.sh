#!/usr/bin/env bash
# The claims of docs/backtest.md on the shared real traces, checked on every
# run where ../shared/corpus is present (skipped, exit 77, where it is not):
# `adaptive`, the default, against KRR `simple` and VPA as the replay counts them.
#   Bitbrains (30 VMs, a month): at most half of krr-simple's OOM kills, with
#     no more slack than it.
#   Alibaba (pods, 12 h of warm-up): the same, and far less slack than vpa.
# usage: backtest_traces_test.sh <stackfit> <source-dir>
set -uo pipefail
stackfit=$1
source "$2/tests/testing/checks.sh"
source "$2/tests/testing/corpus.sh"
traces="$2/../shared/corpus/traces"
corpus_or_skip "$traces"
work=$(mktemp -d /tmp/sfbttr.XXXXXX)
trap 'rm -rf "$work"' EXIT
bash "$2/bench/traces_to_csv.sh" "$work" "$traces" 2>/dev/null || { bad "converting the traces"; finish; }

compare() {  # name, csv, python condition on k (krr-simple), v (vpa), a (adaptive), flags...
  local name=$1 csv=$2 cond=$3; shift 3
  "$stackfit" backtest --csv "$csv" --format json "$@" >"$work/$name.json" 2>"$work/err" || {
    bad "$name: $(cat "$work/err")"; return; }
  if python3 - "$work/$name.json" "$cond" >"$work/out" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = {x["name"]: x for x in d["strategies"]}
k, v, a = s["krr-simple"], s["vpa"], s["adaptive"]
print(f"adaptive {a['oom_events']} kills at {a['slack_ratio']:.2%} slack; krr-simple {k['oom_events']} at "
      f"{k['slack_ratio']:.2%}; vpa {v['oom_events']} at {v['slack_ratio']:.2%}")
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
  then ok "$name: $(cat "$work/out")"; else bad "$name: $(cat "$work/out")"; fi
}
compare bitbrains "$work/bitbrains.csv" \
  'a["oom_events"] * 2 <= k["oom_events"] and a["slack_ratio"] <= k["slack_ratio"]'
compare alibaba "$work/alibaba.csv" \
  'a["oom_events"] * 2 <= k["oom_events"] and a["slack_ratio"] <= k["slack_ratio"] and a["slack_ratio"] < v["slack_ratio"] / 2' \
  --warmup 12h
finish
