#!/usr/bin/env bash
# The .deb CPack builds (docs/install.md): its control fields (Depends from
# dpkg-shlibdeps, libcurl and GLPK as Recommends since they are dlopen'ed),
# its files where Debian's tools look, then installed with the real dpkg into
# a throw-away root (its own --root, admin dir and log: the host's dpkg
# database is not touched), run from there, and removed. apt's simulation
# says whether `apt install ./stackfit_*.deb` resolves on this host. lintian
# is not installed (scripts/setup.sh leaves it out: ~100 Perl packages); the
# checks it would make that matter here are made below.
set -euo pipefail
stackfit=$(realpath "$1")
build=$(dirname "$stackfit")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$tmp/out" >"$tmp/cpack.log" 2>&1) || { cat "$tmp/cpack.log" >&2; fail "cpack"; }
deb=$(echo "$tmp"/out/stackfit_*_amd64.deb)
[[ -f $deb ]] || fail "no .deb in $tmp/out"
field() { dpkg-deb --field "$deb" "$1"; }
[[ $(field Package) == stackfit ]] || fail "Package: $(field Package)"
version=$("$stackfit" version --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
[[ $(field Version) == "$version" ]] || fail "Version $(field Version), binary says $version"
depends=$(field Depends)
[[ $depends == *"libc6 (>= "* && $depends == *"libfyaml0 (>= "* ]] || fail "Depends: $depends"
[[ $depends != *libsqlite3* && $depends != *libstdc++* ]] || fail "built-in libraries in Depends: $depends"
[[ $(field Recommends) == "libcurl4, libglpk40" ]] || fail "Recommends: $(field Recommends)"
[[ -n $(field Maintainer) && -n $(field Description) && $(field Section) == utils ]] || fail "control fields"

dpkg-deb --contents "$deb" >"$tmp/contents"
for path in ./usr/bin/stackfit ./usr/share/man/man1/stackfit.1.gz \
  ./usr/share/bash-completion/completions/stackfit ./usr/share/zsh/vendor-completions/_stackfit \
  ./usr/share/fish/vendor_completions.d/stackfit.fish ./usr/share/doc/stackfit/copyright; do
  grep -q " $path\$" "$tmp/contents" || fail "$path not in the package"
done
grep -q ' ./usr/libexec/docker/cli-plugins/docker-stackfit -> ../../../bin/stackfit$' "$tmp/contents" ||
  fail "no docker plugin link"
grep -q ' ./usr/bin/kubectl-stackfit -> stackfit$' "$tmp/contents" || fail "no kubectl plugin link"
awk '$2 != "root/root" {print; bad = 1} END {exit bad}' "$tmp/contents" || fail "files not owned by root"
grep -q '^-rwxr-xr-x .* ./usr/bin/stackfit$' "$tmp/contents" || fail "/usr/bin/stackfit is not 0755"
grep -v ' ./usr/bin/' "$tmp/contents" | grep '^-' | grep -qv '^-rw-r--r--' && fail "data files are not 0644"

# Installed by dpkg into a root of its own. Its status file lists nothing,
# so the dependencies (libc6, libfyaml0: the host has them) are not checked
# here but by apt's simulation below.
root="$tmp/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
dpkg --root="$root" --log="$tmp/dpkg.log" --force-depends --force-not-root -i "$deb" >"$tmp/dpkg.out" 2>&1 ||
  { cat "$tmp/dpkg.out" >&2; fail "dpkg -i into the throw-away root"; }
dpkg --root="$root" -s stackfit | grep -q '^Status: install ok installed$' || fail "dpkg does not list it installed"
"$root/usr/bin/stackfit" --version >"$tmp/version" || fail "the installed binary does not run"
head -1 "$tmp/version" | grep -qx "stackfit $version" || fail "installed --version: $(head -1 "$tmp/version")"
readelf -S "$root/usr/bin/stackfit" | grep -Eq ' \.(symtab|debug_info) ' && fail "the installed binary is not stripped"
readelf -d "$root/usr/bin/stackfit" | grep -Eq 'RPATH|RUNPATH' && fail "the installed binary has an RPATH"
zcat "$root/usr/share/man/man1/stackfit.1.gz" | groff -man -Tutf8 -ww -z 2>"$tmp/groff.err"
[[ ! -s $tmp/groff.err ]] || fail "installed man page: $(cat "$tmp/groff.err")"
cmp -s "$root/usr/share/bash-completion/completions/stackfit" <("$stackfit" completion bash) || fail "bash completion differs"
"$root/usr/libexec/docker/cli-plugins/docker-stackfit" docker-cli-plugin-metadata | grep -q '"SchemaVersion":"0.1.0"' ||
  fail "the installed docker plugin does not answer the metadata request"
[[ $("$root/usr/bin/kubectl-stackfit" --version) == "$(cat "$tmp/version")" ]] || fail "installed kubectl-stackfit"
dpkg --root="$root" --log="$tmp/dpkg.log" --force-not-root -r stackfit >/dev/null 2>&1 || fail "dpkg -r"
[[ ! -e $root/usr/bin/stackfit ]] || fail "dpkg -r left /usr/bin/stackfit"

# apt, simulated against the host's real database: the dependencies resolve.
apt-get install --simulate --no-install-recommends "$deb" >"$tmp/apt.out" 2>&1 || { cat "$tmp/apt.out" >&2; fail "apt"; }
grep -q '^Inst stackfit ' "$tmp/apt.out" || fail "apt would not install stackfit: $(cat "$tmp/apt.out")"
echo "deb_package_test: ok ($(basename "$deb"), $(stat -c %s "$deb") bytes, Depends: $depends)"
