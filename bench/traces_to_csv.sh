#!/usr/bin/env bash
# Turns the shared real traces (../shared/corpus/traces, see their READMEs)
# into `stackfit backtest --csv` input (series,timestamp_s,bytes,limit_bytes),
# exactly as their READMEs say to:
#   bitbrains: series = vm_id, bytes = mem_usage_kb * 1024,
#              limit_bytes = mem_capacity_kb * 1024 (the limit in force);
#   alibaba:   series = container_ip (empty keys dropped), bytes =
#              max(value, 0) * 8 GiB, limit_bytes = 8 GiB (a nominal pod
#              capacity: the trace gives fractions of an unknown limit, so the
#              byte scale is an assumption; ratios are not), duplicate
#              (series, timestamp) rows: the first kept.
# Rows are sorted by series, then time.
#
#   bench/traces_to_csv.sh OUT_DIR [TRACES_DIR]
# writes OUT_DIR/bitbrains.csv and OUT_DIR/alibaba.csv.
set -euo pipefail
out=${1:?usage: traces_to_csv.sh OUT_DIR [TRACES_DIR]}
root=$(cd "$(dirname "$0")/.." && pwd)
traces=${2:-$root/../shared/corpus/traces}
mkdir -p "$out"

bitbrains=$traces/bitbrains-rnd-2013-08/bitbrains_rnd_2013-08_30vms.csv
alibaba=$traces/alibaba-gentd26-pod-memory/pod_memory_util_anon.csv
for f in "$bitbrains" "$alibaba"; do
  [[ -r $f ]] || { echo "traces_to_csv: $f: not found (the shared corpus is not beside this checkout)" >&2; exit 77; }
done

{
  echo "series,timestamp_s,bytes,limit_bytes"
  # vm_id,timestamp_s,cpu_cores,cpu_capacity_mhz,cpu_usage_mhz,mem_capacity_kb,mem_usage_kb
  awk -F, 'NR > 1 { printf "vm%s,%s,%.0f,%.0f\n", $1, $2, $7 * 1024, $6 * 1024 }' "$bitbrains" |
    sort -t, -k1,1 -k2,2n
} > "$out/bitbrains.csv"

{
  echo "series,timestamp_s,bytes,limit_bytes"
  # value,timestamp_anon,container_ip
  awk -F, -v gib=1073741824 'NR > 1 && $3 != "" {
      key = $3 "," $2
      if (key in seen) next
      seen[key] = 1
      v = $1 < 0 ? 0 : $1
      printf "%s,%.0f,%.0f,%.0f\n", $3, $2, v * 8 * gib, 8 * gib
    }' "$alibaba" | sort -t, -k1,1 -k2,2n
} > "$out/alibaba.csv"

wc -l "$out/bitbrains.csv" "$out/alibaba.csv" >&2
