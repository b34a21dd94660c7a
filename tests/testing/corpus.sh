#!/usr/bin/env bash
# Sourced by integration scripts that read the shared real-world corpus
# (../shared/corpus beside the checkout: present in CI, absent on a plain
# clone). corpus_or_skip DIR [FAILURES_SO_FAR] returns when DIR exists; else
# it prints one line on stderr and exits 77, which tests/CMakeLists.txt maps
# to "Skipped" (SKIP_RETURN_CODE) -- or exits 1 when checks run before it in
# the same script already failed, so a failure is never hidden by a skip.
corpus_or_skip() {
  [[ -d $1 ]] && return 0
  echo "skipped: needs the shared corpus at $1, which is absent (a plain clone)" >&2
  ((${2:-0} == 0)) && exit 77
  exit 1
}
