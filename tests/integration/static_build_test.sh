#!/usr/bin/env bash
# The static build for other distributions (docs/install.md): build/static/
# stackfit, linked with -static from Debian's own archives (libc.a,
# libstdc++.a, libfyaml.a, libsqlite3.a). ldd calls it not dynamic, it says
# so itself, and it does real work: inspect on the bundled example, and the
# Prometheus client (libcurl dlopen'ed by a static binary) reaching a closed
# loopback port with the same one-line error as the dynamic binary.
set -euo pipefail
stackfit=$(realpath "$1")
root=$(realpath "$2")
build=$(dirname "$stackfit")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --build "$build" --target stackfit_static >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; fail "build"; }
static="$build/static/stackfit"
[[ $(ldd "$static" 2>&1 | tr -d '\t') == "not a dynamic executable" ]] || fail "ldd: $(ldd "$static" 2>&1)"
readelf -l "$static" | grep -q INTERP && fail "the static binary names a dynamic loader"
"$static" --version >"$tmp/version"
grep -qx ' Linking:     static' "$tmp/version" || fail "--version: $(cat "$tmp/version")"
grep -q 'glibc [0-9.]* (built in), libstdc++ [0-9]* (built in), libfyaml [0-9.]* (built in), SQLite [0-9.]* (built in)' \
  "$tmp/version" || fail "--version libraries: $(cat "$tmp/version")"

example="$root/examples/fastapi-celery"
"$stackfit" inspect -f "$example/compose.yaml" --format json >"$tmp/dynamic.json"
"$static" inspect -f "$example/compose.yaml" --format json >"$tmp/static.json"
cmp -s "$tmp/dynamic.json" "$tmp/static.json" || fail "static inspect differs from the dynamic binary's"

# A port nothing listens on: both binaries fail the same way (exit 3).
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
for binary in "$stackfit" "$static"; do
  set +e
  "$binary" history --prometheus "http://127.0.0.1:$port" --since 1h >/dev/null 2>"$tmp/err.$(basename "$(dirname "$binary")")"
  code=$?
  set -e
  [[ $code -eq 3 ]] || fail "$binary history: exit $code"
done
cmp -s "$tmp/err.static" "$tmp/err.$(basename "$build")" || fail "errors differ: $(cat "$tmp"/err.*)"
echo "static_build_test: ok ($(stat -c %s "$static") bytes)"
