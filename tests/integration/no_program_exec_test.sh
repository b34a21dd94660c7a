#!/usr/bin/env bash
# Proof that stackfit starts no shell and runs no program (docs/fuzzing.md,
# "What stackfit never runs"): the dynamic imports of the binary (`nm -D`)
# hold no function that starts a process (system, popen, exec*, posix_spawn*,
# fork, vfork, clone*, wordexp). The two libraries it loads itself with
# dlopen are checked too: they are exactly libcurl.so.4 and libglpk.so.40;
# GLPK imports none of them; libcurl imports fork and execl only for its
# NTLM_WB helper (ntlm_auth), reached only under CURLAUTH_NTLM_WB, and the
# only CURLAUTH_ value stackfit's sources name is CURLAUTH_BASIC.
# The one documented exception (docs/doctor.md): `doctor` runs `journalctl -k`
# or `dmesg` when /dev/kmsg is unreadable, with posix_spawn, from
# observe/kernel_log_command alone — the test holds it to that one object file
# of the library the binary is linked from.
# usage: no_program_exec_test.sh <stackfit> <source-dir>
set -uo pipefail
stackfit=$1 source=$2
source "$source/tests/testing/checks.sh"

forbidden='^(system|popen|execl|execle|execlp|execv|execve|execvp|execvpe|execveat|fexecve|posix_spawn|posix_spawnp|fork|vfork|clone|clone3|wordexp)$'
imports() { nm -D --undefined-only "$1" | awk '{print $2}' | sed 's/@.*//' | sort -u; }

binary_imports=$(imports "$stackfit")
# The scan must see the binary's real imports, or an empty list would pass.
if grep -qx poll <<<"$binary_imports" && grep -qx dlopen <<<"$binary_imports"; then
  ok "nm -D lists the binary's imports ($(wc -l <<<"$binary_imports") symbols, poll and dlopen among them)"
else
  bad "nm -D did not list the binary's imports: $(head -c 200 <<<"$binary_imports")"
fi
found=$(grep -E "$forbidden" <<<"$binary_imports" | tr '\n' ' ')
[[ $found == "posix_spawn " ]] && ok "the binary imports no function that starts a process but posix_spawn" ||
  bad "the binary imports '$found' (expected only posix_spawn, for doctor's kernel log)"
library_archive="$(dirname "$stackfit")/libstackfit_lib.a"
users=$(nm -A --undefined-only "$library_archive" 2>/dev/null | awk '{print $1, $NF}' | sed 's/@.*//' |
  awk -v re="$forbidden" '{sym=$2; if (sym ~ re) {split($1, p, ":"); print p[2]}}' | sort -u | tr '\n' ' ')
[[ $users == "kernel_log_command.cpp.o " ]] && ok "only observe/kernel_log_command starts a process ($users)" ||
  bad "objects that start a process: '$users' (only kernel_log_command.cpp.o may: docs/doctor.md)"

# The libraries linked in (NEEDED) and the ones the binary may dlopen: the
# other sonames written in it.
needed=$(readelf -d "$stackfit" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u)
sonames=$(strings "$stackfit" | grep -oE '^lib[a-z0-9_+-]+\.so(\.[0-9]+)*$' | sort -u | grep -vxF "$needed" | tr '\n' ' ')
[[ $sonames == "libcurl.so.4 libglpk.so.40 " ]] && ok "the only libraries stackfit dlopens: $sonames" ||
  bad "stackfit names other libraries to dlopen: $sonames"

library() { ldconfig -p | awk -v so="$1" '$1 == so && /x86-64/ {print $NF; exit}'; }
for so in $(grep -vE '^(libc|libm|ld-linux.*)\.so' <<<"$needed") libglpk.so.40; do
  found=$(imports "$(library "$so")" | grep -E "$forbidden" | tr '\n' ' ')
  [[ -z $found ]] && ok "$so imports no function that starts a process" || bad "$so imports $found"
done

curl_found=$(imports "$(library libcurl.so.4)" | grep -E "$forbidden" | tr '\n' ' ')
auth=$(grep -rhoE 'CURLAUTH_[A-Z_]+' "$source/src" | sort -u | tr '\n' ' ')
if [[ $curl_found =~ ^(execl fork )?$ && $auth == "CURLAUTH_BASIC " ]]; then
  ok "libcurl imports only ${curl_found:-nothing} (its NTLM_WB helper); stackfit selects only $auth"
else
  bad "libcurl imports '$curl_found' and stackfit selects '$auth'"
fi
finish
