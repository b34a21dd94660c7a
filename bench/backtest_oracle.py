#!/usr/bin/env python3
"""What perfect foresight would hold unused, for docs/backtest.md.

For a `backtest --csv` file, past the same 1-day warm-up as the replay:
  constant: per series, one limit for the whole evaluated span, its largest
            reading (no kill, known in advance);
  daily:    per series and day (counted from the series' first reading), that
            day's largest reading.
  margin:   the family `krr-simple` and `adaptive` belong to — each day's limit
            is the largest reading of a trailing window (7 d, 14 d or all
            history) times a margin — with each series' window and margin
            chosen knowing the whole month ahead: the smallest margin that
            kills nothing, or (for the series where that saves the most
            bytes) the smallest that kills on one day only, the limit then
            stepping up to exactly that day's need. Printed for 0 to 13
            series allowed such a kill: no online strategy of the family can
            have fewer kills at less slack.
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


def daily_segments(points, window):
    """(largest reading of the window before the day, the day's readings) per day."""
    t0, t_end = points[0][0], points[-1][0]
    segments, day = [], t0 + warmup
    while day <= t_end:
        history = [u for t, u in points if day - window <= t < day]
        ahead = [u for t, u in points if day <= t < day + 86400]
        if history and ahead and max(history) > 0:
            segments.append((max(history), ahead))
        day += 86400
    return segments


def hindsight_cost(segments, kill_days):
    """(slack, limit) with the margin that covers every day but the `kill_days` hardest."""
    needs = sorted((max(ahead) / peak for peak, ahead in segments), reverse=True)
    if len(needs) <= kill_days:
        return None
    margin = needs[kill_days]
    slack = limit = 0
    for peak, ahead in segments:
        day_limit = max(margin * peak, max(ahead))  # a kill steps up to exactly the need
        slack += sum(day_limit - min(u, day_limit) for u in ahead)
        limit += day_limit * len(ahead)
    return slack, limit


def best_of(options):
    options = [o for o in options if o]
    return min(options, key=lambda o: o[0] / o[1] if o[1] else 1) if options else None


choices = []
for points in series.values():
    windows = [daily_segments(points, w) for w in (7 * 86400, 14 * 86400, 1e12)]
    kill_free = best_of([hindsight_cost(s, 0) for s in windows])
    one_kill = best_of([hindsight_cost(s, 1) for s in windows]) or kill_free
    if kill_free:
        choices.append((kill_free, one_kill))
choices.sort(key=lambda c: c[1][0] - c[0][0])  # most slack saved by one kill first
print(f"constant limit, known in advance: {const_slack / const_limit:.1%} slack")
print(f"daily limit, known in advance: {daily_slack / daily_limit:.1%} slack")
for killed in (0, 5, 9, 13):
    slack = sum((one if i < killed else free)[0] for i, (free, one) in enumerate(choices))
    limit = sum((one if i < killed else free)[1] for i, (free, one) in enumerate(choices))
    print(f"window max x margin, best per series in hindsight, {killed} series killed once: {slack / limit:.2%} slack")
