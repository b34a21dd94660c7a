#!/usr/bin/env bash
# `stackfit cleanup` and `doctor` against a REAL Podman (Debian's podman 4.3
# as a private rootful API service, tests/podman/podman_harness.sh): a stopped
# container, a dangling image (one tag committed twice), an unused anonymous
# volume and a running container with a named volume. The dry run lists
# exactly the first three and changes nothing; --force removes exactly those
# through Podman's compatible API and spares the rest; doctor reads Podman's
# /info and /system/df and says "podman".
# usage: cleanup_podman_test.sh <stackfit> <source-dir>     (as root)
set -uo pipefail
stackfit=$1
source "$2/tests/podman/podman_harness.sh"
source "$2/tests/testing/checks.sh"
state=$(mktemp -d /tmp/sfpcl.XXXXXX)
work=$(mktemp -d /tmp/sfpclw.XXXXXX)
sock="$state/podman.sock"
trap 'pm_stop "$state"; rm -rf "$state" "$work"' EXIT
trap 'exit 130' INT TERM
p() { pm_podman "$state" "$@"; }
j() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

command -v podman >/dev/null || { bad "podman not installed (scripts/setup.sh)"; finish; }
pm_start "$state" || { bad "podman service start"; finish; }
pm_base_image "$state" || { bad "base image import"; finish; }

p run --name sfp-stopped --network none stackfit-base:latest true >/dev/null 2>&1
p run --name sfp-c1 --network none stackfit-base:latest sh -c 'echo one >/f' >/dev/null 2>&1
p commit -q sfp-c1 localhost/sfp-img:1 >/dev/null
dangling=$(p image inspect --format '{{.Id}}' localhost/sfp-img:1)
p run --name sfp-c2 --network none stackfit-base:latest sh -c 'echo two >/f' >/dev/null 2>&1
p commit -q sfp-c2 localhost/sfp-img:1 >/dev/null
p rm sfp-c1 sfp-c2 >/dev/null
anon=$(p volume create)
p run -d --name sfp-running --network none -v sfp-data:/data stackfit-base:latest sleep 600 >/dev/null
stopped_id=$(p inspect --format '{{.Id}}' sfp-stopped)
snapshot() { { p ps -a --no-trunc --format '{{.ID}} {{.Names}} {{.Image}}'; p inspect --format '{{.Name}} {{.State.Status}}' sfp-stopped sfp-running; p images -a --no-trunc --format '{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}'; p volume ls; } 2>&1; }
snapshot >"$work/before"

"$stackfit" cleanup --host "unix://$sock" --format json >"$work/c.json" 2>"$work/c.err"
code=$?
got=$(j "$work/c.json" "sorted((i['kind'], i['id'].removeprefix('sha256:')) for i in d['items'])")
want=$(/usr/bin/python3 -c "print(sorted([('container', '$stopped_id'), ('image', '${dangling#sha256:}'), ('volume', '$anon')]))")
[[ $code -eq 0 && $got == "$want" ]] && ok "podman dry run lists exactly the stopped container, the dangling image, the anonymous volume" \
  || bad "podman dry run: exit $code: $got (want $want) $(cat "$work/c.err")"
snapshot >"$work/after"
diff -q "$work/before" "$work/after" >/dev/null && ok "podman dry run changed nothing" || bad "changed: $(diff "$work/before" "$work/after" | head -8 | tr "\n" " ")"

"$stackfit" cleanup --host "unix://$sock" --force --format json >"$work/f.json" 2>"$work/f.err"
code=$?
[[ $code -eq 0 && $(j "$work/f.json" "all(i['removed'] for i in d['items']) and len(d['items']) == 3") == True ]] \
  && ok "podman --force: the three removed" || bad "podman --force: exit $code $(cat "$work/f.err") $(cat "$work/f.json")"
left=$(p inspect sfp-stopped >/dev/null 2>&1 && echo container; p image exists "$dangling" && echo image; p volume exists "$anon" && echo volume)
[[ -z $left ]] && ok "podman: the three are gone" || bad "podman: still there: $left"
spared=$(p inspect --format '{{.State.Running}}' sfp-running 2>&1; p volume exists sfp-data && echo volume; p image exists localhost/sfp-img:1 && echo tagged)
[[ $spared == $'true\nvolume\ntagged' ]] && ok "podman: spared the running container, its named volume, the tagged image" || bad "spared: $spared"

"$stackfit" doctor --host "unix://$sock" --since 1m --format json >"$work/d.json" 2>"$work/d.err"
got=$(j "$work/d.json" "(d['engine']['podman'], d['engine']['mem_total_bytes'] > 0, [c['id'] for c in d['checks']][:1])")
[[ $got == "(True, True, ['engine-memory'])" ]] && ok "doctor reads Podman's /info and /system/df" || bad "podman doctor: $got $(cat "$work/d.err")"
p rm -f sfp-running >/dev/null 2>&1
finish
