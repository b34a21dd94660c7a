#!/usr/bin/env bash
# How the integration scripts report (sourced): one line per check, a count,
# and the exit status. ok NAME / bad NAME / info TEXT; finish prints
# "<n> passed, <m> failed" and exits 0 only without failures.
# record_json EXPR reads the `stackfit record --format json` summary in
# $work/out.json: record_json "s['web']['samples']" (s: services by name).
passed=0
failures=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1"; failures=$((failures + 1)); }
info() { echo "info $1"; }
finish() {
  echo "$passed passed, $failures failed"
  ((failures == 0))
  exit
}
record_json() {
  /usr/bin/python3 -c "import json; d=json.load(open('$work/out.json')); s={x['name']: x for x in d['services']}; print($1)"
}
