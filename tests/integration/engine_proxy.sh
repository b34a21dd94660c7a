# A logging pass-through in front of the test's engine socket
# (tests/testing/engine_request_log.py), for tests that assert which requests
# a command sent. Sourced after record_common.sh (needs $state, $sock).
#   start_proxy LOG [--before-first-delete CMD]: listens at $state/p.sock
#   stop_proxy: stops it (by its pid); call it from the EXIT trap too
proxy_script="$record_common_source_dir/tests/testing/engine_request_log.py"
proxy_pid=""
stop_proxy() {
  [[ -n $proxy_pid ]] && kill "$proxy_pid" 2>/dev/null && wait "$proxy_pid" 2>/dev/null
  proxy_pid=""
}
start_proxy() {
  stop_proxy
  : >"$1"
  rm -f "$state/p.sock"
  /usr/bin/python3 "$proxy_script" "$state/p.sock" "$sock" "$@" &
  proxy_pid=$!
  local i
  for ((i = 0; i < 50; i++)); do [[ -S $state/p.sock ]] && return 0; sleep 0.1; done
  return 1
}
