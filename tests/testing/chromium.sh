#!/usr/bin/env bash
# Headless Debian chromium for the report's tests and benchmark (sourced).
# Every run gets its own throw-away profile, no network services, a 60 s bound.
#   chromium_dom PAGE OUT LOG   rendered DOM of PAGE into OUT, the browser's log (console included) into LOG
#   chromium_shot PAGE PNG [W,H]  screenshot of PAGE
#   chromium_console_errors LOG  the console messages and page errors in LOG (empty: none)
chromium_run() {
  local profile rc
  profile=$(mktemp -d /tmp/sfchrome.XXXXXX)
  timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --disable-extensions \
    --user-data-dir="$profile" "$@"
  rc=$?
  rm -rf "$profile"
  return $rc
}
chromium_dom() {
  chromium_run --enable-logging=stderr --v=0 --dump-dom "file://$(realpath "$1")" >"$2" 2>"$3"
}
chromium_shot() {
  chromium_run --hide-scrollbars --window-size="${3:-1200,1600}" --screenshot="$(realpath -m "$2")" \
    "file://$(realpath "$1")" >/dev/null 2>&1
}
chromium_console_errors() {
  grep -E 'CONSOLE|Uncaught|Refused to|ERROR:.*(console|javascript)' "$1" || true
}
