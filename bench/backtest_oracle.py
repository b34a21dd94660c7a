#!/usr/bin/env python3
"""What perfect foresight would hold unused, for docs/backtest.md.

For a `backtest --csv` file, past the same 1-day warm-up as the replay:
  constant: per series, one limit for the whole evaluated span, its largest
            reading (no kill, known in advance);
  daily:    per series and day (counted from the series' first reading), that
            day's largest reading.
Slack as the replay counts it: sum(limit - usage) / sum(limit).

usage: bench/backtest_oracle.py CSV [WARMUP_SECONDS]
"""
import collections
import csv
import sys

warmup = int(sys.argv[2]) if len(sys.argv) > 2 else 86400
series = collections.defaultdict(list)
for row in csv.DictReader(open(sys.argv[1])):
    series[row["series"]].append((float(row["timestamp_s"]), int(row["bytes"])))
const_limit = const_slack = daily_limit = daily_slack = 0
for points in series.values():
    t0 = points[0][0]
    evaluated = [(t, u) for t, u in points if t >= t0 + warmup]
    if not evaluated:
        continue
    top = max(u for _, u in evaluated)
    const_limit += top * len(evaluated)
    const_slack += sum(top - u for _, u in evaluated)
    days = collections.defaultdict(list)
    for t, u in evaluated:
        days[int((t - t0) // 86400)].append(u)
    for usage in days.values():
        daily_limit += max(usage) * len(usage)
        daily_slack += sum(max(usage) - u for u in usage)
print(f"constant limit, known in advance: {const_slack / const_limit:.1%} slack")
print(f"daily limit, known in advance: {daily_slack / daily_limit:.1%} slack")
