#!/usr/bin/env bash
# Hostile input through the real binary, one table row per case (issue 17):
# each must exit with its documented code (docs/exit-codes.md) within 20 s,
# print exactly one line on stderr, equal to the expected one, print nothing
# on stdout, change no file of the scratch folder (nothing half-written, no
# store created or converted: every store's sha256 is the same after) and stay under 1 GiB of peak RSS.
# docs/hostile-input.md says what each class of input gets.
# usage: hostile_input_table_test.sh <stackfit> <source-dir>
set -uo pipefail
stackfit=$(realpath "$1")
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
failures=0
passed=0
source "$src/tests/integration/hostile_input_cases.sh"
# No engine may answer: a socket path that does not exist.
export DOCKER_HOST=unix://$work/no-engine.sock
export XDG_STATE_HOME=$work/state HOME=$work/home

# Names, sizes, modes, times; and the bytes of every store (the read-only
# commands must leave a store byte-identical, not only its size and time).
snapshot() {
  find . -mindepth 1 -path ./.out -prune -o -path ./.err -prune -o -path ./.rss -prune -o -printf '%p %s %m %T@\n' | sort
  find . -maxdepth 1 -type f -name '*.db' -exec sha256sum {} + | sort
}

# row NAME EXIT 'EXPECTED STDERR LINE' -- stackfit args...
row() {
  local name=$1 want_code=$2 want=$3
  shift 4
  local before after code err lines rss
  before=$(snapshot)
  /usr/bin/time -f %M -o .rss timeout 20 "$stackfit" "$@" >.out 2>.err </dev/null
  code=$?
  rss=$(tail -1 .rss)
  after=$(snapshot)
  err=$(head -1 .err)
  lines=$(wc -l <.err)
  if [[ -n ${HOSTILE_PRINT:-} ]]; then echo "$name|$code|$err"; return; fi
  local why=""
  [[ $code -eq $want_code ]] || why+=" exit $code (want $want_code);"
  [[ $lines -eq 1 ]] || why+=" $lines stderr lines;"
  [[ $err == "$want" ]] || why+=" stderr [$err];"
  [[ ! -s .out ]] || why+=" stdout not empty;"
  [[ $before == "$after" ]] || why+=" files changed: $(diff <(echo "$before") <(echo "$after") | grep '^[<>]' | head -3 | tr '\n' ' ');"
  ((rss < 1048576)) || why+=" peak RSS $rss KiB;"
  if [[ -n $why ]]; then
    echo "FAIL $name:$why"
    echo "  wanted: $want"
    failures=$((failures + 1))
  else
    echo "ok   $name (peak RSS $rss KiB)"
    passed=$((passed + 1))
  fi
}

source "$src/tests/integration/hostile_input_rows.sh"

# accepted NAME 'SUBSTRING'... -- stackfit args: what Compose / Kubernetes
# accept must not be refused: exit 0, nothing on stderr, each substring in
# the JSON on stdout.
accepted() {
  local name=$1 wants=()
  shift
  while [[ $1 != -- ]]; do wants+=("$1"); shift; done
  shift
  local code why=""
  timeout 20 "$stackfit" "$@" >.out 2>.err </dev/null
  code=$?
  [[ $code -eq 0 ]] || why+=" exit $code;"
  [[ ! -s .err ]] || why+=" stderr [$(head -1 .err)];"
  for want in "${wants[@]}"; do grep -qF -- "$want" .out || why+=" no [$want] in stdout;"; done
  if [[ -n $why ]]; then
    echo "FAIL $name:$why"
    failures=$((failures + 1))
  else
    echo "ok   $name"
    passed=$((passed + 1))
  fi
}
accepted "lone \$ is text, mem_limit -1 is no limit" '"limit_bytes": null' '"limit_millicores": 500' \
  -- inspect -f dollar.yml --format json
accepted "quantities trimmed and capped" '"limit_bytes": 536870912' '"limit_millicores": 9223372036854775807' \
  -- inspect -k trimmed.yaml --format json
accepted "unknown fields kept and ignored" '"limit_bytes": 67108864' -- inspect -f unknown.yml --format json

echo "hostile input: $passed passed, $failures failed"
[[ $failures -eq 0 ]]
