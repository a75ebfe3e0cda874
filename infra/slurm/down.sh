#!/usr/bin/env bash
# Stops the single-node Slurm cluster that up.sh started in one state directory, and waits until its
# daemons are gone; clusters in other directories are left alone. Idempotent. Naming daemons stops
# just those:
#
#   infra/slurm/down.sh [--run-dir DIR]              # slurmd, slurmctld and this cluster's munged
#   infra/slurm/down.sh [--run-dir DIR] slurmctld    # only the controller (tests use this to make Slurm unreachable)
#
# Environment: BALLAST_SLURM_DIR (state directory when --run-dir is not given, default /tmp/ballast-slurm).
set -euo pipefail

HERE="$(dirname "${BASH_SOURCE[0]}")"
source "$HERE/../lib/run-dir.sh"
run_dir_from_args "${BALLAST_SLURM_DIR:-/tmp/ballast-slurm}" "$@"
DIR="$RUN_DIR"

log() { printf 'slurm down: %s\n' "$*" >&2; }

source "$HERE/lib.sh"
source "$HERE/../lib/terminate.sh"

[[ -d "$DIR" ]] || exit 0
lock_run_dir "$DIR" 120

# SIGTERM lets slurmctld save its state; SIGKILL after 30 s.
stop() {
  local name="$1" file="$2" pid
  pid="$(daemon_pid "$name" "$file")" || return 0
  log "stopping $name ($pid)"
  terminate_pids 30 "$name ($pid)" "$pid"
}

targets=("${RUN_DIR_REST[@]}")
((${#targets[@]} > 0)) || targets=(slurmd slurmctld munged)
for target in "${targets[@]}"; do
  case "$target" in
    slurmd | slurmctld) stop "$target" "$DIR/$target.pid" ;;
    munged) stop munged "$DIR/munge/munged.pid" ;;
    *) log "unknown daemon $target (expected slurmd, slurmctld or munged)"; exit 2 ;;
  esac
done
