#!/usr/bin/env python3
"""The Markdown table of docs/record-stress.md from the churn curve
(bench/record_churn_bench.sh writes docs/record-stress-curve.csv): the first
row and every 100th cycle.
usage: record_churn_table.py docs/record-stress-curve.csv"""
import csv
import sys

rows = list(csv.DictReader(open(sys.argv[1])))
print("| cycle | elapsed | recorder VmRSS | store (db + wal) | sample rows | container rows |")
print("| ---: | ---: | ---: | ---: | ---: | ---: |")
for r in rows:
    if int(r["cycle"]) % 100 == 0 or r is rows[0]:
        print(f"| {r['cycle']} | {r['elapsed_s']} s | {int(r['rss_kib']):,} KiB | "
              f"{int(r['store_kib']):,} KiB | {r['samples']} | {r['containers']} |")
rss = [int(r["rss_kib"]) for r in rows]
print(f"\nVmRSS over all {len(rows)} points: {min(rss):,}–{max(rss):,} KiB.")
