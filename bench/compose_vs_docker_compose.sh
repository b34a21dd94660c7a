#!/usr/bin/env bash
# Whole-process comparison, in one run, on the same input:
#   stackfit inspect --format json   vs   docker-compose config (Debian, 1.29)
# on the largest Compose file of ../shared/corpus/real that docker-compose
# accepts as is, plus `stackfit --version` start-up time and peak RSS.
# Prints figures and ratios; never fails on a time (a missing peer is an error).
#
# usage: bench/compose_vs_docker_compose.sh [path/to/stackfit] [runs]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
stackfit=$(realpath "${1:-$root/build/stackfit}")
runs=${2:-20}
corpus="$root/../shared/corpus/real"

command -v hyperfine >/dev/null || { echo "bench: hyperfine not installed (scripts/setup.sh)" >&2; exit 2; }
command -v docker-compose >/dev/null || { echo "bench: docker-compose not installed (scripts/setup.sh)" >&2; exit 2; }
[[ -x "$stackfit" ]] || { echo "bench: $stackfit not built (scripts/build.sh)" >&2; exit 2; }

# Largest Compose file docker-compose accepts without changes.
input=""
while read -r size file; do
  case "$file" in *kubernetes*|*manifests*|*kustomiz*) continue ;; esac
  grep -q '^services:' "$file" || continue
  if (cd "$(dirname "$file")" && docker-compose -f "$(basename "$file")" config >/dev/null 2>&1); then
    input=$file
    break
  fi
done < <(find "$corpus" -name '*.y*ml' -printf '%s %p\n' | sort -rn)
[[ -n "$input" ]] || { echo "bench: no corpus file accepted by docker-compose" >&2; exit 2; }
dir=$(dirname "$input")
base=$(basename "$input")

# Mean wall time in microseconds of `runs` runs of the given command (run in
# $dir), measured by hyperfine without a shell in between (-N).
mean_us() {
  local json
  json=$(mktemp)
  (cd "$dir" && hyperfine -N --warmup 3 --runs "$runs" --export-json "$json" "$*" >/dev/null 2>&1)
  /usr/bin/python3 -c "import json; print(int(json.load(open('$json'))['results'][0]['mean'] * 1e6))"
  rm -f "$json"
}
peak_rss_kib() { (cd "$dir" && /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1); }

sf_us=$(mean_us "$stackfit" inspect -f "$base" --format json)
dc_us=$(mean_us docker-compose -f "$base" config)
ver_us=$(mean_us "$stackfit" --version)
true_us=$(mean_us true)
sf_rss=$(peak_rss_kib "$stackfit" inspect -f "$base" --format json)
dc_rss=$(peak_rss_kib docker-compose -f "$base" config)
services=$(cd "$dir" && "$stackfit" inspect -f "$base" --format json | grep -c '"declared_at"')

echo "input: ${input#$root/../shared/}  ($(stat -c %s "$input") bytes, $services services, $runs runs each)"
printf '%-40s %10s %12s\n' "command" "mean" "peak RSS"
printf '%-40s %8.2f ms %9s KiB\n' "stackfit inspect --format json" "$(echo "$sf_us" | awk '{print $1/1000}')" "$sf_rss"
printf '%-40s %8.2f ms %9s KiB\n' "docker-compose config (1.29)" "$(echo "$dc_us" | awk '{print $1/1000}')" "$dc_rss"
printf '%-40s %8.2f ms\n' "stackfit --version" "$(echo "$ver_us" | awk '{print $1/1000}')"
printf '%-40s %8.2f ms   (cost of spawning a process here)\n' "true" "$(echo "$true_us" | awk '{print $1/1000}')"
awk -v a="$dc_us" -v b="$sf_us" 'BEGIN { printf "ratio: stackfit inspect is %.1fx faster than docker-compose config (aim: 50x)\n", a / b }'
awk -v a="$dc_rss" -v b="$sf_rss" 'BEGIN { printf "ratio: stackfit uses %.1fx less peak memory\n", a / b }'
