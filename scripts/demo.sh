#!/usr/bin/env bash
# README command 1: set up, build, and run stackfit's main job on the bundled
# example stack: what each service declares, then whether it fits a small
# machine (t3.small: yes; t3.micro: no, and why), what would make it fit, and
# a start-up order.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

"$root/scripts/setup.sh"
"$root/scripts/build.sh" --binary

stackfit="$root/build/stackfit"
example="$root/examples/fastapi-celery"
files=(-f "$example/compose.yaml" -f "$example/compose.prod.yaml")

echo "\$ stackfit inspect ${files[*]#$root/}"
"$stackfit" inspect "${files[@]}"
echo
for machine in t3.small t3.micro; do
  echo "\$ stackfit check --machine $machine (same files)"
  set +e
  "$stackfit" check "${files[@]}" --machine "$machine"
  code=$?
  set -e
  echo "(exit code $code: $([[ $code -eq 0 ]] && echo "fits, no failing rule" || echo "does not fit or a rule failed"))"
  echo
done
# It does not fit t3.micro: what would make it fit, ranked (tighten, drop
# optional services, or the cheapest machines it fits), then a start-up order
# whose waves stay within the smaller machine.
set +e
echo "\$ stackfit plan --machine t3.micro (same files)"
"$stackfit" plan "${files[@]}" --machine t3.micro
echo
echo "\$ stackfit plan --startup --machine t3.small (same files)"
"$stackfit" plan --startup "${files[@]}" --machine t3.small
set -e
