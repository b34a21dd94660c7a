#!/usr/bin/env bash
# Bad and hostile input through the real binary: each case must exit 2 with
# exactly one line on stderr (starting "stackfit: " and naming the place),
# nothing on stdout, within a bounded time and memory.
# usage: hostile_input_test.sh <stackfit> <source-dir>
set -uo pipefail
stackfit=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
failures=0
passed=0

# expect_error NAME EXPECTED_STDERR_REGEX -- stackfit args...
expect_error() {
  local name=$1 pattern=$2
  shift 3
  local out err code rss
  /usr/bin/time -f %M -o "$work/rss" timeout 60 "$stackfit" "$@" >"$work/out" 2>"$work/err"
  code=$?
  rss=$(tail -1 "$work/rss")
  out=$(cat "$work/out")
  err=$(cat "$work/err")
  local lines
  lines=$(wc -l <"$work/err")
  if [[ $code -ne 2 || -n "$out" || $lines -ne 1 || ! "$err" =~ $pattern ]] || ((rss > 400000)); then
    echo "FAIL $name: exit $code, $lines stderr lines, peak RSS ${rss} KiB"
    echo "  stderr: $err"
    echo "  wanted: $pattern"
    failures=$((failures + 1))
  else
    echo "ok   $name: $err (peak RSS ${rss} KiB)"
    passed=$((passed + 1))
  fi
}

printf 'services:\n  web:\n    image: [nginx\n' > malformed.yml
expect_error "malformed YAML" '^stackfit: malformed\.yml:[0-9]+:[0-9]+: invalid YAML' -- inspect -f malformed.yml

{
  echo 'x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
  prev=a
  for n in b c d e f g h i j; do
    printf 'x-%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n' $n $n $prev $prev $prev $prev $prev $prev $prev $prev $prev
    prev=$n
  done
  echo 'services: {web: {image: nginx, labels: *j}}'
} > bomb.yml
expect_error "alias bomb" '^stackfit: bomb\.yml:[0-9]+:[0-9]+: document expands to more than 1000000 nodes \(alias bomb\?\)$' -- inspect -f bomb.yml

{ printf 'services: '; head -c 10000 /dev/zero | tr '\0' '['; head -c 10000 /dev/zero | tr '\0' ']'; echo; } > deep.yml
expect_error "10,000-deep nesting" '^stackfit: deep\.yml:1:[0-9]+: nesting deeper than 256 levels$' -- inspect -f deep.yml

{ printf 'services:\n  web:\n    image: "'; head -c $((100 * 1024 * 1024)) /dev/zero | tr '\0' 'a'; printf '"\n'; } > huge.yml
expect_error "100 MB scalar (file)" '^stackfit: huge\.yml: file larger than 64 MiB, refused$' -- inspect -f huge.yml
{ printf 'services:\n  web:\n    image: "'; head -c $((10 * 1024 * 1024)) /dev/zero | tr '\0' 'a'; printf '"\n'; } > big-scalar.yml
expect_error "10 MB scalar" '^stackfit: big-scalar\.yml:3:12: scalar longer than 8 MiB$' -- inspect -f big-scalar.yml

printf 'services:\n  web:\n    image: nginx\n    mem_limit: [1]\n' > wrong-type.yml
expect_error "wrong type" '^stackfit: wrong-type\.yml:4:16: .*mem_limit' -- inspect -f wrong-type.yml

expect_error "missing file" '^stackfit: .*does-not-exist\.yml.*(No such file|not found)' -- inspect -f does-not-exist.yml

printf 'services:\n  a:\n    extends: b\n    image: x\n  b:\n    extends: a\n    image: y\n' > circular.yml
expect_error "circular extends" '^stackfit: circular\.yml:[0-9]+:[0-9]+: .*(circular|cycle)' -- inspect -f circular.yml

printf 'services:\n  web:\n    image: "nginx:${TAG:?set TAG to the release}"\n' > required.yml
expect_error "unset \${VAR:?msg}" '^stackfit: required\.yml:3:[0-9]+: .*TAG.*set TAG to the release' -- inspect -f required.yml

: > empty.yml
expect_error "empty file" '^stackfit: empty\.yml' -- inspect -f empty.yml

printf 'services:\n  caf\xe9:\n    image: nginx\n' > latin1.yml
expect_error "non-UTF-8" '^stackfit: latin1\.yml:2:6: not valid UTF-8$' -- inspect -f latin1.yml

printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    resources: {limits: {memory: 12Zi}}\n' > bad-quantity.yaml
expect_error "bad Kubernetes quantity" '^stackfit: bad-quantity\.yaml:7:[0-9]+: .*invalid Kubernetes quantity "12Zi": unknown suffix "Zi"$' -- inspect -k bad-quantity.yaml

expect_error "unknown flag" '^stackfit: usage: ' -- inspect --no-such-flag
expect_error "unknown format" '^stackfit: --format: unknown format "yaml" \(table, markdown, json, csv\)$' -- inspect -f wrong-type.yml --format yaml
expect_error "unknown machine" '^stackfit: --machine: unknown machine "t9.huge"' -- check -f malformed.yml --machine t9.huge
expect_error "bad budget" '^stackfit: --budget: invalid size "lots"' -- check -f malformed.yml --budget lots

# Issue 17's loader edges: one line, the exact text, the exact column.
expect_error "unknown command" '^stackfit: usage: unknown command "backtset"; did you mean "backtest"\? \(see --help\)$' -- backtset
expect_error "128,000-byte unknown command" '^stackfit: usage: unknown command "x{80}…" \(commands: .*; see --help\)$' -- "$(head -c 131000 /dev/zero | tr '\0' x)"
mkdir -p kfolder/overlays/prod && printf 'resources: [../../base]\n' > kfolder/overlays/prod/kustomization.yaml
expect_error "kustomize folder" '^stackfit: kfolder: a kustomize folder \(kfolder/overlays/prod/kustomization\.yaml\), not manifests; render it first: kubectl kustomize kfolder/overlays/prod \| stackfit inspect -k -$' -- inspect -k kfolder
printf 'services:\n  a:\n    image: x\n    command: |\n      echo $1\n      make -j$(nproc) ${A\n      more\n' > multiline.yml
expect_error "multi-line value quoted on one line" '^stackfit: multiline\.yml:5:7: invalid interpolation format in "echo \$1…"; use \$\$ for a literal \$$' -- inspect -f multiline.yml
printf 'services:\n  a:\n    image: x\n    mem_limit: "\\e]0;pwned\\a1g"\n' > escape.yml
expect_error "control characters escaped" '^stackfit: escape\.yml:4:16: services\.a\.mem_limit: invalid byte value "\\x1b]0;pwned\\x071g"$' -- inspect -f escape.yml
printf 'services:\n  a:\n    image: x\n    mem_limit: -2\n' > negative.yml
expect_error "negative mem_limit" '^stackfit: negative\.yml:4:16: services\.a\.mem_limit: invalid byte value "-2": negative$' -- inspect -f negative.yml
expect_error "budget past int64" '^stackfit: --budget: invalid size "9Ei" \(examples: 1Gi, 512Mi, 1GiB, 1g\)$' -- check -f negative.yml --budget 9Ei

# Compose v2's `$` rules (compose-go): a lone `$` is text, in x- blocks too;
# -1 declares no memory limit; quantities are trimmed and capped.
printf 'x-build:\n  cmd: make -j$(nproc) && echo $1 ^REGEX$\nservices:\n  a:\n    image: x\n    command: echo $1 a $ b\n    mem_limit: -1\n    cpus: 0.5\n' > dollar.yml
if out=$("$stackfit" inspect -f dollar.yml --format json 2>&1) && [[ "$out" == *'"limit_bytes": null'* && "$out" == *'"limit_millicores": 500'* ]]; then
  echo "ok   lone \$ is text, mem_limit -1 is no limit"
  passed=$((passed + 1))
else
  echo "FAIL lone \$: $out"
  failures=$((failures + 1))
fi
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    resources: {limits: {memory: " 512Mi ", cpu: 9Ei}}\n' > trimmed.yaml
if out=$("$stackfit" inspect -k trimmed.yaml --format json 2>&1) && [[ "$out" == *'"limit_bytes": 536870912'* && "$out" == *'9223372036854775807'* ]]; then
  echo "ok   quantities trimmed and capped"
  passed=$((passed + 1))
else
  echo "FAIL quantities trimmed and capped: $out"
  failures=$((failures + 1))
fi

# Unknown fields are kept and ignored, as Compose does: this one must succeed.
printf 'x-anything: {a: 1}\nservices:\n  web:\n    image: nginx\n    some_future_field: {b: 2}\n    mem_limit: 64m\n' > unknown.yml
if out=$("$stackfit" inspect -f unknown.yml --format json 2>&1) && [[ "$out" == *'"limit_bytes": 67108864'* ]]; then
  echo "ok   unknown fields are ignored"
  passed=$((passed + 1))
else
  echo "FAIL unknown fields: $out"
  failures=$((failures + 1))
fi

echo "hostile input: $passed passed, $failures failed"
echo "$passed passed, $failures failed"
[[ $failures -eq 0 ]]
