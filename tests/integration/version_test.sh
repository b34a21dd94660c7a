#!/usr/bin/env bash
# `stackfit --version` and `stackfit version --format json` say how the binary
# was built (docs/install.md, docs/version-json.md): the CMake project
# version, the configure-time git commit, the compiler and build type of
# build/CMakeCache.txt, and how each library is linked, as ldd sees it. A copy
# of the sources outside any git checkout (a plain tarball) configures with
# the commit "unknown".
set -euo pipefail
stackfit=$(realpath "$1")
root=$(realpath "$2")
build=$(dirname "$stackfit")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
cache() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }

project_version=$(sed -n 's/^project(stackfit VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
commit=unknown
if [[ $(git -C "$root" rev-parse --show-toplevel 2>/dev/null) == "$root" ]]; then
  commit=$(git -C "$root" rev-parse --short=12 HEAD)
fi
compiler="GCC $("$(cache CMAKE_CXX_COMPILER)" -dumpfullversion)"
build_type=$(cache CMAKE_BUILD_TYPE)

"$stackfit" --version >"$tmp/text"
text=$(cat "$tmp/text")
expected_head="stackfit $project_version
 Commit:      $commit
 Compiler:    $compiler
 Build type:  $build_type
 Linking:     dynamic"
[[ $text == "$expected_head"* ]] || fail "--version starts differently: $text"
[[ $(wc -l <"$tmp/text") -eq 7 ]] || fail "--version is not one 7-line block"
# ldd and the binary agree on each library: shared when ldd lists it.
for lib in libfyaml:libfyaml.so libstdc++:libstdc++.so SQLite:libsqlite3.so; do
  name=${lib%%:*} so=${lib#*:}
  linking="built in"
  ldd "$stackfit" | grep -q "$so" && linking=shared
  grep -q "$name [0-9.]* ($linking)" "$tmp/text" || fail "$name should be $linking: $text"
done
grep -q "On demand:   libcurl.so.4 (Prometheus: history, --prometheus), libglpk.so.40 (plan --node-type), dlopen'ed" \
  "$tmp/text" || fail "optional libraries not named: $text"
ldd "$stackfit" | grep -Eq 'libcurl|libglpk' && fail "libcurl/libglpk must be dlopen'ed, not linked"

# The JSON twin carries the same values.
"$stackfit" version --format json >"$tmp/json"
python3 - "$tmp/json" "$project_version" "$commit" "$compiler" "$build_type" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
want = dict(schema_version=1, version=sys.argv[2], commit=sys.argv[3], compiler=sys.argv[4],
            build_type=sys.argv[5], linking="dynamic")
for key, value in want.items():
    assert doc[key] == value, (key, doc[key], value)
assert [l["name"] for l in doc["libraries"]] == ["glibc", "libstdc++", "libfyaml", "SQLite"], doc["libraries"]
assert [l["soname"] for l in doc["optional_libraries"]] == ["libcurl.so.4", "libglpk.so.40"]
PY
"$stackfit" version >"$tmp/text2"
cmp -s "$tmp/text" "$tmp/text2" || fail "stackfit version differs from --version"

set +e
"$stackfit" version --format csv >"$tmp/out" 2>"$tmp/err"
code=$?
set -e
[[ $code -eq 2 ]] || fail "version --format csv: exit $code, want 2"
[[ $(cat "$tmp/err") == 'stackfit: --format: unknown format "csv" (table, json)' ]] || fail "$(cat "$tmp/err")"
[[ ! -s $tmp/out ]] || fail "version --format csv wrote to stdout"

# A plain tarball: the sources without .git, outside any checkout, configure
# with the commit "unknown" (configure only; the build is the same).
mkdir "$tmp/src"
tar -C "$root" --exclude=./.git --exclude='./build*' -cf - CMakeLists.txt cmake src tests bench fuzz |
  tar -C "$tmp/src" -xf -
if git -C "$tmp/src" rev-parse --show-toplevel >/dev/null 2>&1; then
  echo "version_test: $tmp is inside a git work tree; the tarball check needs a TMPDIR outside one" >&2
  exit 1
fi
cmake -S "$tmp/src" -B "$tmp/src/build" -G Ninja -DSTACKFIT_BENCH=OFF >"$tmp/cmake.log" 2>&1 ||
  { cat "$tmp/cmake.log" >&2; fail "the tarball does not configure"; }
grep -q 'STACKFIT_GIT_COMMIT=\\"unknown\\"' "$tmp/src/build/build.ninja" ||
  fail "the tarball's build does not say commit unknown"
echo "version_test: ok ($commit, $compiler, $build_type)"
