#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS over its seed corpus (docs/fuzzing.md):
#   run_fuzzer.sh FUZZER CORPUS_ROOT SECONDS [libFuzzer flags...]
# Seeds are read from CORPUS_ROOT/seeds/<name>; new inputs go to
# CORPUS_ROOT/work/<name>, crashes to CORPUS_ROOT/findings/<name>/. The exit
# status is libFuzzer's: 0 when nothing was found. The last line says what
# the run did: "<name>: <execs> execs in <s> s (<rate>/s), <cov> edges,
# <ft> features, <n> findings".
set -euo pipefail
fuzzer=$1 root=$2 seconds=$3
shift 3
name=$(basename "$fuzzer")
name=${name%_fuzzer}
seeds=$root/seeds/$name work=$root/work/$name findings=$root/findings/$name
mkdir -p "$seeds" "$work" "$findings"
log=$(mktemp) stamp=$(mktemp)  # stamp: findings newer than it are this run's
trap 'rm -f "$log" "$stamp"' EXIT

# libfyaml keeps its diagnostics after a YAML syntax error (tests/lsan.supp),
# so nearly every mutated YAML input would make libFuzzer run a full leak scan
# after it (10x slower). The YAML targets check leaks once, at exit, instead.
leaks=()
case $name in
  compose_file | compose_merge | kube_manifest | machine_catalog) leaks=(-detect_leaks=0) ;;
esac
source_root=$(cd "$(dirname "$0")/.." && pwd)
status=0 start=$SECONDS
LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$source_root/tests/lsan.supp} \
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
  "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
  -print_final_stats=1 -artifact_prefix="$findings/" "${leaks[@]}" "$@" "$work" "$seeds" >"$log" 2>&1 || status=$?

elapsed=$((SECONDS - start))
stat() { awk -v k="$1" '$1 == k":" {v=$2} END {print v+0}' "$log"; }
execs=$(stat stat::number_of_executed_units)
rate=$(stat stat::average_exec_per_sec)
cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | awk '{print $2+0}')
ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | awk '{print $2+0}')
found=$(find "$findings" -type f -newer "$stamp" | wc -l)
if ((status != 0)); then
  grep -E 'ERROR|SUMMARY|runtime error|Test unit written|==[0-9]+==' "$log" | head -20 >&2
fi
echo "$name: ${execs} execs in ${elapsed} s (${rate}/s), ${cov:-0} edges, ${ft:-0} features, ${found} findings"
exit "$status"
