#!/usr/bin/env bash
# A private Docker Engine for tests and benchmarks: Debian's dockerd started
# as root without systemd, with its own socket, data root, exec root and pid
# file under one state folder, no iptables, no bridge, the vfs storage driver.
# It never touches the system's default socket (/var/run/docker.sock).
#
# usage: dockerd_harness.sh start      <state-dir>   # idempotent; waits for /_ping (<= 30 s)
#        dockerd_harness.sh stop       <state-dir>   # kills exactly the pid in the pidfile
#        dockerd_harness.sh base-image <state-dir>   # imports stackfit-base:latest (idempotent)
#        dockerd_harness.sh env        <state-dir>   # prints DOCKER_HOST=unix://<state-dir>/docker.sock
#
# Or source it and call harness_start / harness_stop / harness_base_image /
# harness_docker (the Debian docker CLI bound to the private socket).
#
# Layout under <state-dir> (kept short: a unix socket path must fit 108 bytes):
#   docker.sock  the API socket     d/  data root      x/  exec root
#   dockerd.pid  the pid file       dockerd.log        daemon.json (empty config)
# Quiet on success; prints one line to stderr and returns non-zero on failure.
#
# Callers should always `trap 'dockerd_harness.sh stop DIR' EXIT`: stop works on
# a half-started daemon, on one already gone, and when called twice.

source "$(dirname "${BASH_SOURCE[0]}")/../testing/container_host.sh"

k_harness_docker_cli=/usr/bin/docker   # Debian's docker.io CLI, matching the daemon
k_harness_start_timeout_s=30
k_harness_stop_timeout_s=30
k_harness_image=stackfit-base:latest

harness_fail() {
  echo "dockerd_harness: $*" >&2
  return 1
}

# harness_docker <state-dir> args...: the docker CLI pointed at the private daemon.
harness_docker() {
  local dir=$1
  shift
  DOCKER_HOST="unix://$dir/docker.sock" DOCKER_CONFIG="$dir/cli" "$k_harness_docker_cli" "$@"
}

harness_pid() {
  local pidfile="$1/dockerd.pid" pid
  [[ -s $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  # Only our daemon: the pid must be a dockerd whose command line names this socket.
  { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF -- "unix://$1/docker.sock" || return 1
  echo "$pid"
}

harness_ping() {
  curl -s --max-time 2 --unix-socket "$1/docker.sock" http://localhost/_ping 2>/dev/null | grep -qx OK
}

harness_start() {
  local dir=$1
  [[ -n $dir ]] || { harness_fail "usage: start <state-dir>"; return 1; }
  mkdir -p "$dir" || { harness_fail "$dir: cannot create state folder"; return 1; }
  dir=$(cd "$dir" && pwd)
  if ((${#dir} > 80)); then
    harness_fail "$dir: path too long for unix sockets (keep it under 80 bytes)"
    return 1
  fi
  if harness_pid "$dir" >/dev/null && harness_ping "$dir"; then
    return 0
  fi
  [[ $(id -u) -eq 0 ]] || { harness_fail "dockerd must run as root"; return 1; }
  # Leftovers of an earlier daemon on this state dir (killed, crashed) go first:
  # a stale containerd on the same exec root would make the new one fail.
  harness_stop "$dir" || return 1
  mkdir -p "$dir/d" "$dir/x" "$dir/cli"
  # Containers that ignore SIGTERM (a sleep as pid 1) get 2 s, not 10, at stop.
  echo '{"shutdown-timeout": 2}' >"$dir/daemon.json"
  rm -f "$dir/docker.sock" "$dir/dockerd.pid"
  # setsid: the daemon survives the caller's shell and is not hit by its job control.
  setsid /usr/sbin/dockerd \
    --host "unix://$dir/docker.sock" \
    --data-root "$dir/d" --exec-root "$dir/x" --pidfile "$dir/dockerd.pid" \
    --config-file "$dir/daemon.json" \
    --iptables=false --ip6tables=false --bridge=none --storage-driver=vfs \
    --log-level=warn >"$dir/dockerd.log" 2>&1 </dev/null &
  local launched=$! deadline=$((SECONDS + k_harness_start_timeout_s))
  disown "$launched" 2>/dev/null  # no "Killed" job notice in the caller's shell
  echo "$launched" >"$dir/dockerd.launched"
  while ((SECONDS < deadline)); do
    if harness_ping "$dir"; then
      return 0
    fi
    if ! kill -0 "$launched" 2>/dev/null; then
      harness_fail "dockerd exited during start-up: $(tail -1 "$dir/dockerd.log")"
      return 1
    fi
    sleep 0.2
  done
  harness_fail "dockerd did not answer /_ping within ${k_harness_start_timeout_s}s (log: $dir/dockerd.log)"
  return 1
}

# Waits (bounded) for a pid to exit; returns non-zero if it is still there.
harness_wait_gone() {
  local pid=$1 deadline=$((SECONDS + $2))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 0.2
  done
  ! kill -0 "$pid" 2>/dev/null
}

harness_stop() {
  local dir=$1 pid status=0
  [[ -n $dir && -d $dir ]] || return 0
  dir=$(cd "$dir" && pwd)
  pid=$(harness_pid "$dir") || pid=""
  # A daemon that never wrote its pidfile: fall back to the pid we launched,
  # still only if its command line names our socket.
  if [[ -z $pid && -s $dir/dockerd.launched ]]; then
    local launched
    launched=$(<"$dir/dockerd.launched")
    if { tr '\0' ' ' <"/proc/$launched/cmdline"; } 2>/dev/null | grep -qF -- "unix://$dir/docker.sock"; then
      pid=$launched
    fi
  fi
  if [[ -n $pid ]]; then
    # dockerd stops its containers and its containerd on SIGTERM.
    kill -TERM "$pid" 2>/dev/null
    if ! harness_wait_gone "$pid" "$k_harness_stop_timeout_s"; then
      kill -KILL "$pid" 2>/dev/null
      harness_wait_gone "$pid" 5 || { harness_fail "dockerd $pid did not exit"; status=1; }
    fi
  fi
  harness_kill_leftovers "$dir"
  harness_kill_orphan_containers "$dir"
  harness_unmount_under "$dir" || status=1
  rm -f "$dir/docker.sock" "$dir/dockerd.pid" "$dir/dockerd.launched"
  return $status
}

# containerd and its shims started by our dockerd carry our exec root in their
# command line; after a SIGKILL of dockerd they may linger. Kill exactly those.
harness_kill_leftovers() {
  local dir=$1 file pid cmd pattern
  # One grep over every command line (a loop of subshells costs seconds here).
  # "[x]" keeps the pattern from matching grep's own command line.
  pattern="$(printf '%s' "$dir" | sed 's/[][\.*^$+?(){}|]/\\&/g')/[x]/"
  for file in $(grep -lsaE -- "$pattern" /proc/[0-9]*/cmdline); do
    pid=${file#/proc/}
    pid=${pid%/cmdline}
    cmd=$({ tr '\0' ' ' <"$file"; } 2>/dev/null) || continue
    [[ $cmd == *containerd* ]] && kill -KILL "$pid" 2>/dev/null
  done
  return 0
}

# After a SIGKILL of dockerd and its shims, a container's processes live on,
# reparented to init. The containers of this data root (and only those) are
# found by id in their cgroups and killed; their emptied cgroups are removed.
harness_kill_orphan_containers() {
  local dir=$1 id
  [[ -d $dir/d/containers ]] || return 0
  for id in $(ls "$dir/d/containers"); do
    [[ $id =~ ^[0-9a-f]{64}$ ]] || continue
    host_kill_cgroups /sys/fs/cgroup/*/docker/"$id" /sys/fs/cgroup/docker/"$id" \
      /sys/fs/cgroup/system.slice/docker-"$id".scope
  done
  return 0
}

harness_unmount_under() {
  host_unmount_under "$1" || harness_fail "could not unmount everything under $1"
}

# Builds the base image by `docker import` of host_base_rootfs's folder
# (tests/testing/container_host.sh): busybox-static and the host's /usr, no pull.
harness_base_image() {
  local dir=$1
  [[ -n $dir && -d $dir ]] || { harness_fail "usage: base-image <state-dir> (after start)"; return 1; }
  dir=$(cd "$dir" && pwd)
  if harness_docker "$dir" image inspect "$k_harness_image" >/dev/null 2>&1; then
    return 0
  fi
  host_import_base_image "$dir" "$k_harness_image" harness_docker || { harness_fail "$host_error"; return 1; }
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  case ${1:-} in
    start) harness_start "${2:-}" ;;
    stop) harness_stop "${2:-}" ;;
    base-image) harness_base_image "${2:-}" ;;
    env) echo "DOCKER_HOST=unix://$(cd "${2:-.}" && pwd)/docker.sock" ;;
    *)
      echo "usage: $0 start|stop|base-image|env <state-dir>" >&2
      exit 2
      ;;
  esac
fi
