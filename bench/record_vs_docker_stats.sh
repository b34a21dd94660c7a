#!/usr/bin/env bash
# CPU and memory of `stackfit record` against `docker stats`, in one run, under
# a private dockerd (tests/docker/dockerd_harness.sh). Not a CI test: it takes
# minutes and prints figures; see docs/record-bench.md for what they mean.
#
# For each N (busybox `sleep` containers, network none, stop signal SIGKILL),
# over windows of the same length:
#   (a) idle      dockerd + containerd + shims, nobody asking them anything
#   (b) record    `stackfit record --all --interval 1s` for the window: its own
#                 CPU (rusage of the finished child) + the engine's CPU beyond (a)
#   (c) stats     `docker stats` (Debian's 20.10 CLI) streaming every running
#                 container for the window: CLI CPU + the engine's CPU beyond (a)
# and, without the engine, (d) `stackfit record --cgroup PARENT` over K plain
# cgroup v1 children (memory, cpuacct and cpu hierarchies) this script creates
# under stackfit-bench-<pid>/, each holding one `sleep` it starts, and removes
# afterwards (the sleepers by PID, the cgroups by path).
#
# All figures are CPU time (user + system), not wall time: the machine is
# shared with builds, which stretch wall time but not a process's CPU time.
# Engine CPU comes from /proc/<pid>/stat (utime + stime, 10 ms ticks) of
# dockerd, its containerd and every containerd-shim serving this exec root.
# The recorder's own CPU comes from /proc/<pid>/task/*/schedstat (ns).
#
# usage: bench/record_vs_docker_stats.sh <stackfit> [--seconds 60] [--counts "50 200"] [--cgroups 1000] [--busy]
#   (as root; quick run: --seconds 10 --counts 20 --cgroups 100)
#   --busy: each container runs `sh -c 'while :; do sleep 0.5; done'` instead
#   of a bare `sleep`, so its CPU time and memory move between any two
#   readings (the recorder then reads memory.stat every time).
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
stackfit=$(readlink -f "${1:?usage: $0 <stackfit> [--seconds S] [--counts \"N ...\"] [--cgroups K]}")
shift
seconds=60
counts="50 200"
cgroups=1000
busy=0
while (($#)); do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --counts) counts=$2; shift 2 ;;
    --cgroups) cgroups=$2; shift 2 ;;
    --busy) busy=1; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
warm=$((seconds >= 20 ? 5 : seconds / 4))
((warm >= 1)) || { echo "--seconds must be at least 4" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "run as root (private dockerd, cgroups)" >&2; exit 2; }

source "$here/tests/docker/dockerd_harness.sh"
state=$(mktemp -d /tmp/sfbench.XXXXXX)
work=$(mktemp -d)
cg_parent=stackfit-bench-$$
cg_hierarchies=(memory cpuacct cpu)

remove_cgroups() {
  local h dir
  for h in "${cg_hierarchies[@]}"; do
    dir=/sys/fs/cgroup/$h/$cg_parent
    [[ -d $dir ]] || continue
    find "$dir" -mindepth 1 -maxdepth 1 -type d -name 'cg-*' -exec rmdir {} + 2>/dev/null
    rmdir "$dir" 2>/dev/null
  done
}
rec_pid=""   # a recording in the background, stopped by cleanup
cg_pids=()   # the sleepers of (d), stopped by PID
stop_sleepers() {
  ((${#cg_pids[@]})) || return 0
  kill "${cg_pids[@]}" 2>/dev/null
  wait "${cg_pids[@]}" 2>/dev/null
  cg_pids=()
}
cleanup() {
  [[ -n $rec_pid ]] && kill "$rec_pid" 2>/dev/null && wait "$rec_pid"
  stop_sleepers
  remove_cgroups
  harness_stop "$state"
  rm -rf "$state" "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# CPU seconds (user + system) of a set of pids, from /proc/<pid>/stat.
clk_tck=$(getconf CLK_TCK)
cpu_of_pids() {
  local total=0 pid fields
  for pid in "$@"; do
    fields=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    fields=${fields##*) }   # after the command name, which may hold spaces
    read -r -a f <<<"$fields"
    total=$((total + f[11] + f[12]))   # utime, stime: fields 14, 15 of the full line
  done
  echo "$total"
}
# dockerd, its containerd and the shims of this exec root.
engine_pids() {
  local dockerd pid
  dockerd=$(harness_pid "$state") || return
  echo "$dockerd"
  for pid in /proc/[0-9]*; do
    pid=${pid#/proc/}
    tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q -e "$state/x/" -e "$state/d/" && echo "$pid"
  done | grep -vx "$dockerd"
}
# The engine's pids are listed once per N (scanning /proc for ~2N processes
# takes seconds on a loaded machine, which would stretch the windows).
# Two groups, counted apart: the daemons (dockerd and its containerd), which
# answer list/inspect/events and, for `docker stats`, every stats call; and
# the containerd-shims (one per container), which only `docker stats` makes
# work (stats go dockerd -> containerd -> shim). The recorder never talks to
# a shim, so what the shims burn during (b) beyond idle is their own noise.
daemon_pid_list=()
shim_pid_list=()
refresh_engine_pids() {
  local pid
  daemon_pid_list=()
  shim_pid_list=()
  while read -r pid; do
    if tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q containerd-shim; then
      shim_pid_list+=("$pid")
    else
      daemon_pid_list+=("$pid")
    fi
  done < <(engine_pids)
}
# "DAEMON_TICKS SHIM_TICKS"
engine_ticks() { echo "$(cpu_of_pids "${daemon_pid_list[@]}") $(cpu_of_pids "${shim_pid_list[@]}")"; }
# ticks_delta "D0 S0" "D1 S1" -> "daemon_seconds shim_seconds"
ticks_delta() {
  local d0 s0 d1 s1
  read -r d0 s0 <<<"$1"
  read -r d1 s1 <<<"$2"
  awk -v d=$((d1 - d0)) -v s=$((s1 - s0)) -v t="$clk_tck" 'BEGIN {print d / t, s / t}'
}
# CPU nanoseconds of a live process, summed over its threads' schedstat (on-CPU
# time, ns resolution: the recorder uses a few ms per window, below the ticks).
run_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%d", s}'; }

# run_measured OUT CMD...: runs CMD, writes "cpu_seconds max_rss_kib" of it to OUT.
run_measured() {
  local out=$1
  shift
  /usr/bin/python3 - "$out" "$@" <<'PY'
import resource, subprocess, sys
out, cmd = sys.argv[1], sys.argv[2:]
subprocess.run(cmd)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
open(out, "w").write("%.6f %d\n" % (r.ru_utime + r.ru_stime, r.ru_maxrss))
PY
}
total_samples() {
  /usr/bin/python3 -c "import json,sys; print(sum(s['samples'] for s in json.load(open(sys.argv[1]))['services']))" "$1"
}
fmt() { awk -v x="$1" 'BEGIN {printf "%.3f", x}'; }
div() { awk -v a="$1" -v b="$2" -v m="${3:-1}" 'BEGIN {printf "%.2f", (b > 0 ? a * m / b : 0)}'; }
now_ns() { date +%s%N; }
status_kib() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

# measure_record NAME ARGS...: runs `stackfit record ARGS --interval 1s` for the
# window (stopped by SIGTERM at its end) and sets:
#   rec_cpu     its CPU seconds over the whole window (start-up included)
#   rec_steady  µs of its CPU per container per sample after a warm-up of
#               $warm s (discovery, inspect calls, schema setup excluded)
#   rec_threads threads at the end (schedstat sums live threads only)
#   rec_hwm rec_anon rec_file   VmHWM, RssAnon, RssFile (KiB) at the end
#   rec_samples samples written;  rec_engine_raw  engine CPU in the window
measure_record() {
  local name=$1 pid t_warm c_warm c_end e0 e1 steady_samples
  shift
  local db="$work/$name.db"
  e0=$(engine_ticks)
  "$stackfit" record "$@" --interval 1s --db "$db" --format json >"$work/$name.json" 2>"$work/$name.err" &
  pid=$!
  rec_pid=$pid
  sleep "$warm"
  c_warm=$(run_ns "$pid")
  t_warm=$(now_ns)
  sleep "$((seconds - warm))"
  c_end=$(run_ns "$pid")
  rec_threads=$(ls /proc/"$pid"/task | wc -l)
  e1=$(engine_ticks)
  rec_hwm=$(status_kib "$pid" VmHWM)
  rec_anon=$(status_kib "$pid" RssAnon)
  rec_file=$(status_kib "$pid" RssFile)
  kill -TERM "$pid"
  wait "$pid" || { rec_pid=""; echo "record failed: $(cat "$work/$name.err")" >&2; exit 1; }
  rec_pid=""
  rec_cpu=$(awk -v c="$c_end" 'BEGIN {print c / 1e9}')
  rec_engine_raw=$(ticks_delta "$e0" "$e1")
  rec_samples=$(total_samples "$work/$name.json")
  steady_samples=$(sqlite3 "$db" "SELECT count(*) FROM samples WHERE time_ns > $t_warm")
  rec_steady=$(div $((c_end - c_warm)) "$steady_samples" 0.001)
  rm -f "$db" "$db-wal" "$db-shm"
}

workload=(sleep 100000)
((busy)) && workload=(sh -c 'while :; do sleep 0.5; done')
echo "stackfit record vs docker stats: windows of ${seconds}s, N in {$counts}, $cgroups plain cgroups; containers run: ${workload[*]}"
echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); $(uname -r); figures are CPU time"
harness_start "$state" || exit 1
harness_base_image "$state" || exit 1
export DOCKER_HOST="unix://$state/docker.sock"

running=0
results=()
for n in $counts; do
  # ---- N sleepers ----------------------------------------------------------
  if ((n > running)); then
    seq $((running + 1)) "$n" | xargs -P 4 -I{} \
      "$k_harness_docker_cli" run -d --name "sleeper{}" --network none --stop-signal SIGKILL \
      --memory 32m stackfit-base:latest "${workload[@]}" >/dev/null || { echo "docker run failed" >&2; exit 1; }
    running=$n
  fi
  actual=$("$k_harness_docker_cli" ps -q | wc -l)
  echo
  echo "== N = $actual running containers"
  sleep 5   # let the starts settle
  refresh_engine_pids

  # ---- (a) idle engine: a window before (b) and one after (c); (b) and (c)
  # subtract their mean, and the two show how much the idle engine varies.
  idle_window() { local e0 e1; e0=$(engine_ticks); sleep "$seconds"; e1=$(engine_ticks); ticks_delta "$e0" "$e1"; }
  idle1=$(idle_window)
  idle=$idle1

  # ---- (b) stackfit record --all -------------------------------------------
  measure_record "rec-$n" --all --host "$DOCKER_HOST"

  # ---- (c) docker stats, streaming -------------------------------------------
  e0=$(engine_ticks)
  run_measured "$work/stats-$n.cpu" timeout -s INT "$seconds" "$k_harness_docker_cli" stats \
    --format '{{.Name}} {{.CPUPerc}} {{.MemUsage}}' >"$work/stats-$n.out" 2>&1
  e1=$(engine_ticks)
  read -r stats_cpu _ <"$work/stats-$n.cpu"
  stats_engine_raw=$(ticks_delta "$e0" "$e1")

  idle2=$(idle_window)
  # Per group: beyond the mean of the two idle windows, clamped at 0.
  read -r idle1_d idle1_s <<<"$idle1"
  read -r idle2_d idle2_s <<<"$idle2"
  idle_d=$(awk -v a="$idle1_d" -v b="$idle2_d" 'BEGIN {print (a + b) / 2}')
  idle_s=$(awk -v a="$idle1_s" -v b="$idle2_s" 'BEGIN {print (a + b) / 2}')
  beyond() { awk -v x="$1" -v i="$2" 'BEGIN {x -= i; print (x > 0 ? x : 0)}'; }
  read -r rec_raw_d rec_raw_s <<<"$rec_engine_raw"
  read -r stats_raw_d stats_raw_s <<<"$stats_engine_raw"
  rec_d=$(beyond "$rec_raw_d" "$idle_d")
  rec_s=$(beyond "$rec_raw_s" "$idle_s")
  stats_d=$(beyond "$stats_raw_d" "$idle_d")
  stats_s=$(beyond "$stats_raw_s" "$idle_s")
  stats_total=$(awk -v a="$stats_cpu" -v b="$stats_d" -v c="$stats_s" 'BEGIN {print a + b + c}')
  rec_total=$(awk -v a="$rec_cpu" -v b="$rec_d" -v c="$rec_s" 'BEGIN {print a + b + c}')
  rec_daemons=$(awk -v a="$rec_cpu" -v b="$rec_d" 'BEGIN {print a + b}')
  ratio=$(div "$stats_total" "$rec_total")
  ratio_daemons=$(div "$stats_total" "$rec_daemons")
  per=$(div "$rec_cpu" "$rec_samples" 1000000)
  own_ratio=$(div "$stats_cpu" "$rec_cpu")
  echo "(a) engine idle (daemons + shims): $(fmt "$idle1_d") + $(fmt "$idle1_s") s and $(fmt "$idle2_d") + $(fmt "$idle2_s") s CPU in ${seconds}s (before, after)"
  echo "(b) stackfit record --all 1s:    $(fmt "$rec_cpu") s own + $(fmt "$rec_d") s daemons + $(fmt "$rec_s") s shims beyond idle" \
    "(in the window: daemons $(fmt "$rec_raw_d") s, shims $(fmt "$rec_raw_s") s) = $(fmt "$rec_total") s; $rec_samples samples"
  echo "    record: VmHWM $rec_hwm KiB (RssAnon $rec_anon, RssFile $rec_file), $rec_threads thread(s);" \
    "$per µs CPU per container per sample" \
    "overall, $rec_steady µs after the first ${warm}s"
  echo "(c) docker stats (streaming):    $(fmt "$stats_cpu") s CLI + $(fmt "$stats_d") s daemons + $(fmt "$stats_s") s shims beyond idle" \
    "(in the window: daemons $(fmt "$stats_raw_d") s, shims $(fmt "$stats_raw_s") s) = $(fmt "$stats_total") s"
  echo "    docker stats / stackfit record: ${ratio}x with every engine process beyond idle;" \
    "${ratio_daemons}x counting the daemons only on the recorder's side (it never talks to a shim);" \
    "${own_ratio}x CLI vs recorder alone"
  results+=("N=$actual: record $(fmt "$rec_total") s (daemons only: $(fmt "$rec_daemons") s) vs docker stats $(fmt "$stats_total") s CPU per ${seconds}s (${ratio}x; ${ratio_daemons}x); record VmHWM $rec_hwm KiB (anon $rec_anon); $rec_steady µs/container/sample steady, $per overall")
done

# ---- (d) plain cgroups, no engine --------------------------------------------
if ((cgroups > 0)); then
  echo
  echo "== $cgroups plain cgroup v1 children of $cg_parent (${cg_hierarchies[*]})"
  for h in "${cg_hierarchies[@]}"; do
    mkdir "/sys/fs/cgroup/$h/$cg_parent" || exit 1
    for ((i = 1; i <= cgroups; i++)); do mkdir "/sys/fs/cgroup/$h/$cg_parent/cg-$i" || exit 1; done
  done
  # One `sleep` in each, as in a container (an empty cgroup never moves its
  # CPU time, so the recorder would read its usage every time).
  for ((i = 1; i <= cgroups; i++)); do
    sh -c 'for h in '"${cg_hierarchies[*]}"'; do echo $$ > /sys/fs/cgroup/$h/'"$cg_parent/cg-$i"'/cgroup.procs; done; exec sleep 100000' &
    cg_pids+=($!)
  done
  sleep 2
  measure_record cg --cgroup "$cg_parent"
  per=$(div "$rec_cpu" "$rec_samples" 1000000)
  echo "(d) stackfit record --cgroup:    $(fmt "$rec_cpu") s CPU in ${seconds}s; $rec_samples samples;" \
    "VmHWM $rec_hwm KiB (RssAnon $rec_anon, RssFile $rec_file)"
  echo "    $per µs CPU per cgroup per sample overall, $rec_steady µs after the first ${warm}s"
  results+=("$cgroups plain cgroups: record $(fmt "$rec_cpu") s CPU per ${seconds}s; VmHWM $rec_hwm KiB (anon $rec_anon); $rec_steady µs/cgroup/sample steady, $per overall")
  stop_sleepers
  remove_cgroups
fi

echo
echo "== summary (CPU time, windows of ${seconds}s)"
printf '%s\n' "${results[@]}"
