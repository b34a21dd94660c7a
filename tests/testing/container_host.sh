#!/usr/bin/env bash
# What the private engines of the tests share (tests/docker/dockerd_harness.sh,
# tests/podman/podman_harness.sh): the base image's root folder, unmounting
# what an engine left mounted under its state folder, and killing the
# processes left in a container's cgroups. Sourced by both; quiet; each
# returns non-zero on failure and lets its caller say why.

# host_base_rootfs ROOT: busybox-static, lib -> usr/lib, lib64 -> usr/lib64,
# an empty /usr (containers bind the host's /usr read-only over it), /tmp
# (1777), /etc with passwd/group. The root folder is 0755: with 0700, non-root
# users in the container cannot exec anything ("executable file not found").
# Returns 1 when busybox-static is not installed.
host_base_rootfs() {
  local root=$1 applet
  rm -rf "$root"
  mkdir -p "$root/bin" "$root/usr" "$root/tmp" "$root/etc" "$root/proc" "$root/sys" "$root/dev"
  chmod 0755 "$root" "$root/bin" "$root/usr" "$root/etc"
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox" 2>/dev/null || return 1
  ln -s usr/lib "$root/lib"
  ln -s usr/lib64 "$root/lib64"
  for applet in $(/bin/busybox --list); do
    [[ $applet == busybox ]] || ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
}

# host_import_base_image STATE_DIR IMAGE CLI: builds host_base_rootfs in
# STATE_DIR/rootfs and imports it as IMAGE with `CLI STATE_DIR import - IMAGE`
# (CLI: the harness's engine function, harness_docker or pm_podman). On
# failure returns 1 with the reason in $host_error.
host_import_base_image() {
  local dir=$1 image=$2 cli=$3 root="$1/rootfs"
  host_error=""
  host_base_rootfs "$root" || { host_error="busybox-static is not installed"; return 1; }
  if ! tar -C "$root" --numeric-owner --owner=0 --group=0 -cf - . |
    "$cli" "$dir" import - "$image" >/dev/null 2>"$dir/import.err"; then
    host_error="import of $image failed: $(tail -1 "$dir/import.err")"
    return 1
  fi
  rm -rf "$root" "$dir/import.err"
}

# host_unmount_under DIR: every mount below DIR, deepest first so nested
# mounts come off before their parents (lazily when busy). Returns 1 when one
# stays.
host_unmount_under() {
  local dir=$1 mnt status=0
  while read -r mnt; do
    umount "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null || status=1
  done < <(awk -v d="$dir/" 'index($2, d) == 1 {print $2}' /proc/self/mounts | sort -r)
  return $status
}

# host_kill_cgroups CGROUP_DIR...: SIGKILL to every process in each of these
# cgroup folders (missing ones are skipped), then, within 5 s, removes each
# once empty. For containers whose engine died with them still running: the
# caller names exactly its own containers' cgroups.
host_kill_cgroups() {
  local cg pid deadline
  for cg in "$@"; do
    [[ -r $cg/cgroup.procs ]] || continue
    for pid in $(<"$cg/cgroup.procs"); do kill -KILL "$pid" 2>/dev/null; done
  done
  deadline=$((SECONDS + 5))
  for cg in "$@"; do
    [[ -d $cg ]] || continue
    # cgroup files report size 0 whatever they hold: read the pids.
    while [[ -n $(<"$cg/cgroup.procs") ]] 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
    rmdir "$cg" 2>/dev/null
  done
  return 0
}
