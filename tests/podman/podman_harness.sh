#!/usr/bin/env bash
# A private rootful Podman API service for tests: Debian's podman 4.3 started
# as root without systemd (`podman system service --time=0`), with its own
# socket, storage root, run root, tmp dir (locks, events log, exit files) and
# network config under one state folder, the vfs storage driver and the
# cgroupfs cgroup manager. It never touches the system Docker socket nor
# Podman's default socket (/run/podman/podman.sock) or storage.
#
# usage: podman_harness.sh start      <state-dir>   # waits for /_ping (<= 20 s)
#        podman_harness.sh stop       <state-dir>   # removes our containers, kills exactly our pids
#        podman_harness.sh base-image <state-dir>   # imports stackfit-base:latest (idempotent)
#
# Or source it and call pm_start / pm_stop / pm_base_image / pm_podman (the
# podman CLI as a client of the private socket).
#
# Layout under <state-dir> (short: a unix socket path must fit 108 bytes):
#   podman.sock  the API socket     r/ storage root   rr/ run root   t/ tmp dir
#   n/ network config               service.pid  service.log
#   containers.conf  storage.conf   (CONTAINERS_CONF / CONTAINERS_STORAGE_CONF)
# The service runs with the state dir as its working directory: conmon 2.1
# drops an `oomKilled` file in it when a container is OOM-killed.
#
# Why the containers.conf: these VMs lack CAP_SYS_RESOURCE, and rootful
# Podman gives every container RLIMIT_NOFILE 1048576 (and lowers its own
# RLIMIT_NPROC to 32768), which runc cannot set ("error setting rlimit type 7:
# operation not permitted"); default_ulimits pins both to what we have.
# lock_type "file" keeps the locks in t/ (the default shm lock is the
# machine-wide /dev/shm/libpod_lock).

source "$(dirname "${BASH_SOURCE[0]}")/../testing/container_host.sh"

k_pm_start_timeout_s=20
k_pm_stop_timeout_s=15
k_pm_image=stackfit-base:latest

pm_fail() {
  echo "podman_harness: $*" >&2
  return 1
}

# pm_podman <state-dir> args...: the podman CLI, a client of the private service.
pm_podman() {
  local dir=$1
  shift
  CONTAINERS_CONF="$dir/containers.conf" podman --url "unix://$dir/podman.sock" "$@"
}

# The podman CLI working directly on the private storage (no service needed).
pm_podman_local() {
  local dir=$1
  shift
  CONTAINERS_CONF="$dir/containers.conf" CONTAINERS_STORAGE_CONF="$dir/storage.conf" \
    podman --root "$dir/r" --runroot "$dir/rr" --storage-driver vfs --cgroup-manager=cgroupfs \
    --events-backend=file --tmpdir "$dir/t" --network-config-dir "$dir/n" "$@"
}

pm_pid() {
  local pidfile="$1/service.pid" pid
  [[ -s $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  # Only our service: its command line names this socket.
  { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF -- "unix://$1/podman.sock" || return 1
  echo "$pid"
}

# The pid of the `podman system service` serving this state dir's socket.
pm_find_service() {
  local file pid
  for file in $(grep -lsaF -- "unix://$1/podman.sock" /proc/[0-9]*/cmdline); do
    pid=${file#/proc/}
    pid=${pid%/cmdline}
    { tr '\0' ' ' <"$file"; } 2>/dev/null | grep -q '^podman .* system service ' && echo "$pid" && return 0
  done
  return 1
}

pm_ping() {
  curl -s --max-time 2 --unix-socket "$1/podman.sock" http://localhost/_ping 2>/dev/null | grep -qx OK
}

pm_start() {
  local dir=$1
  [[ -n $dir ]] || { pm_fail "usage: start <state-dir>"; return 1; }
  mkdir -p "$dir" || { pm_fail "$dir: cannot create state folder"; return 1; }
  dir=$(cd "$dir" && pwd)
  ((${#dir} <= 80)) || { pm_fail "$dir: path too long for unix sockets (keep it under 80 bytes)"; return 1; }
  if pm_pid "$dir" >/dev/null && pm_ping "$dir"; then return 0; fi
  [[ $(id -u) -eq 0 ]] || { pm_fail "the rootful podman service must run as root"; return 1; }
  command -v podman >/dev/null || { pm_fail "podman is not installed (scripts/setup.sh)"; return 1; }
  mkdir -p "$dir/r" "$dir/rr" "$dir/t" "$dir/n"
  # `podman import` writes containers/image's blob-info cache to
  # /var/lib/containers/cache (no option moves it): stop removes it again
  # when this harness brought the folder into being.
  [[ -e /var/lib/containers ]] || touch "$dir/created-var-lib-containers"
  local nofile nproc
  nofile=$(ulimit -Hn)
  nproc=$(ulimit -Hu)
  [[ $nofile == unlimited || $nofile -gt 1048576 ]] && nofile=1048576
  [[ $nproc == unlimited || $nproc -gt 32768 ]] && nproc=32768
  cat >"$dir/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$dir/t/events.log"
lock_type = "file"
tmp_dir = "$dir/t"
[network]
network_config_dir = "$dir/n"
CONF
  printf '[storage]\ndriver = "vfs"\ngraphroot = "%s/r"\nrunroot = "%s/rr"\n' "$dir" "$dir" >"$dir/storage.conf"
  rm -f "$dir/podman.sock" "$dir/service.pid"
  # setsid: the service survives the caller's shell and its job control. It
  # runs in the state dir (conmon's `oomKilled` files land there).
  local back=$PWD
  cd "$dir" || return 1
  CONTAINERS_CONF="$dir/containers.conf" CONTAINERS_STORAGE_CONF="$dir/storage.conf" \
    setsid podman --root "$dir/r" --runroot "$dir/rr" --storage-driver vfs --cgroup-manager=cgroupfs \
    --events-backend=file --tmpdir "$dir/t" --network-config-dir "$dir/n" \
    system service --time=0 "unix://$dir/podman.sock" >"$dir/service.log" 2>&1 </dev/null &
  disown $! 2>/dev/null  # no "Killed" job notice in the caller's shell
  cd "$back" || return 1
  local deadline=$((SECONDS + k_pm_start_timeout_s)) pid=""
  while ((SECONDS < deadline)); do
    # setsid forks when it is a process group leader: the service's pid is
    # found by its command line, which names our socket.
    [[ -n $pid ]] || pid=$(pm_find_service "$dir")
    if [[ -n $pid ]] && pm_ping "$dir"; then
      echo "$pid" >"$dir/service.pid"
      return 0
    fi
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
      pm_fail "podman system service exited during start-up: $(tail -1 "$dir/service.log")"
      return 1
    fi
    sleep 0.2
  done
  pm_fail "podman system service did not answer /_ping within ${k_pm_start_timeout_s}s (log: $dir/service.log)"
  return 1
}

pm_wait_gone() {
  local pid=$1 deadline=$((SECONDS + $2))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  ! kill -0 "$pid" 2>/dev/null
}

# Ids of the containers in our storage root (and only those).
pm_container_ids() {
  local id
  [[ -d $1/r/vfs-containers ]] || return 0
  for id in $(ls "$1/r/vfs-containers"); do
    [[ $id =~ ^[0-9a-f]{64}$ ]] && echo "$id"
  done
}

pm_stop() {
  local dir=$1 pid status=0
  [[ -n $dir && -d $dir ]] || return 0
  dir=$(cd "$dir" && pwd)
  # Our containers go first, through the service while it is up (this also
  # ends their conmon), then the service itself: exactly the pid we launched.
  if pm_ping "$dir"; then
    timeout "$k_pm_stop_timeout_s" env CONTAINERS_CONF="$dir/containers.conf" \
      podman --url "unix://$dir/podman.sock" rm -f -a -t 0 >/dev/null 2>&1 || true
  fi
  pid=$(pm_pid "$dir") || pid=$(pm_find_service "$dir") || pid=""
  if [[ -n $pid ]]; then
    kill -TERM "$pid" 2>/dev/null
    if ! pm_wait_gone "$pid" "$k_pm_stop_timeout_s"; then
      kill -KILL "$pid" 2>/dev/null
      pm_wait_gone "$pid" 5 || { pm_fail "podman service $pid did not exit"; status=1; }
    fi
  fi
  pm_kill_leftovers "$dir"
  pm_unmount_under "$dir" || status=1
  if [[ -e $dir/created-var-lib-containers ]]; then
    rm -f /var/lib/containers/cache/blob-info-cache-v1.boltdb
    rmdir /var/lib/containers/cache /var/lib/containers 2>/dev/null
    rm -f "$dir/created-var-lib-containers"
  fi
  rm -f "$dir/podman.sock" "$dir/service.pid"
  return $status
}

# conmon (and `podman container cleanup`) processes started for our
# containers carry our state dir in their command line; kill exactly those.
# Then the containers' own processes, found by id in libpod_parent/libpod-<id>
# cgroups (cgroupfs manager), and their emptied cgroups.
pm_kill_leftovers() {
  local dir=$1 file pid pattern id
  pattern="$(printf '%s' "$dir" | sed 's/[][\.*^$+?(){}|]/\\&/g')/[r]"
  for file in $(grep -lsaE -- "$pattern" /proc/[0-9]*/cmdline); do
    pid=${file#/proc/}
    pid=${pid%/cmdline}
    [[ $pid == "$$" || $pid == "$BASHPID" ]] && continue
    case $({ tr '\0' ' ' <"$file"; } 2>/dev/null) in
      /usr/bin/conmon*|podman*|/usr/bin/podman*) kill -KILL "$pid" 2>/dev/null ;;
    esac
  done
  for id in $(pm_container_ids "$dir"); do
    host_kill_cgroups /sys/fs/cgroup/*/libpod_parent/libpod-"$id"
  done
  # conmon's cgroup and their parent, if no other Podman uses them (rmdir
  # only removes empty cgroups).
  rmdir /sys/fs/cgroup/*/libpod_parent/conmon /sys/fs/cgroup/*/libpod_parent 2>/dev/null
  return 0
}

pm_unmount_under() {
  host_unmount_under "$1" || pm_fail "could not unmount everything under $1"
}

# The same base image as tests/docker/dockerd_harness.sh (busybox-static,
# lib -> usr/lib, an empty /usr to bind the host's read-only), by
# `podman import`: no pull. Podman names it localhost/stackfit-base:latest;
# the short name resolves to it.
pm_base_image() {
  local dir=$1
  [[ -n $dir && -d $dir ]] || { pm_fail "usage: base-image <state-dir> (after start)"; return 1; }
  dir=$(cd "$dir" && pwd)
  pm_podman "$dir" image exists "$k_pm_image" 2>/dev/null && return 0
  host_import_base_image "$dir" "$k_pm_image" pm_podman || { pm_fail "$host_error"; return 1; }
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  case ${1:-} in
    start) pm_start "${2:-}" ;;
    stop) pm_stop "${2:-}" ;;
    base-image) pm_base_image "${2:-}" ;;
    *)
      echo "usage: $0 start|stop|base-image <state-dir>" >&2
      exit 2
      ;;
  esac
fi
