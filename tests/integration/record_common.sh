# Shared scaffolding of the recorder's integration tests (sourced, not run):
# a private dockerd with the base image, a Compose project in a work folder,
# ok/bad/finish reporting (tests/testing/checks.sh), and cleanup that always stops what was started.
# usage: source record_common.sh <source-dir> <project-name>
#   then: $sock, $work, compose ..., wait_healthy N, ok NAME, bad NAME, finish
record_common_source_dir=$1
project=$2
source "$record_common_source_dir/tests/docker/dockerd_harness.sh"
source "$record_common_source_dir/tests/testing/checks.sh"
json() { record_json "$@"; }

state=$(mktemp -d "/tmp/sf$project.XXXXXX")
work=$(mktemp -d)
chmod 0755 "$work"
sock="$state/docker.sock"
background_pid=""  # a stackfit run in the background, stopped by cleanup

compose() { DOCKER_HOST="unix://$sock" timeout 120 docker-compose -p "$project" -f "$work/compose.yml" "$@"; }
# wait_healthy N: until N containers of the project report healthy (<= 40 s).
wait_healthy() {
  local i n
  for ((i = 0; i < 200; i++)); do
    n=$(harness_docker "$state" ps --filter "label=com.docker.compose.project=$project" --filter health=healthy -q | wc -l)
    ((n >= $1)) && return 0
    sleep 0.2
  done
  return 1
}
cleanup() {
  [[ -n $background_pid ]] && kill "$background_pid" 2>/dev/null
  [[ -S $sock ]] && compose down -t 0 >/dev/null 2>&1
  harness_stop "$state"
  rm -rf "$state" "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

harness_start "$state" || { bad "dockerd start"; finish; }
harness_base_image "$state" || { bad "base image import"; finish; }
