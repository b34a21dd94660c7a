# Loopback helpers for integration tests that start servers (Prometheus,
# `record --listen`, fake peers): source it. Only 127.0.0.1 is ever used.

# free_port: a TCP port free on 127.0.0.1 now (the kernel's pick).
free_port() { /usr/bin/python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# wait_ready URL: 0 once URL answers 2xx, 1 after 10 s.
wait_ready() {
  for _ in $(seq 100); do
    curl -sf --noproxy '*' "$1" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}
