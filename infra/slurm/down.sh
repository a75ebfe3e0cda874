#!/usr/bin/env bash
# Stops the single-node Slurm cluster that up.sh started, and waits until its daemons are gone.
# Idempotent. munged is stopped only if up.sh started it. Naming daemons stops just those:
#
#   infra/slurm/down.sh              # slurmd, slurmctld, and munged if up.sh started it
#   infra/slurm/down.sh slurmctld    # only the controller (tests use this to make Slurm unreachable)
#
# Environment: BALLAST_SLURM_DIR (state directory, default /tmp/ballast-slurm).
set -euo pipefail

DIR="${BALLAST_SLURM_DIR:-/tmp/ballast-slurm}"

log() { printf 'slurm down: %s\n' "$*" >&2; }

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/terminate.sh"

# SIGTERM lets slurmctld save its state; SIGKILL after 30 s.
stop() {
  local name="$1" file="$2" pid
  pid="$(daemon_pid "$name" "$file")" || return 0
  log "stopping $name ($pid)"
  terminate_pids 30 "$name ($pid)" "$pid"
}

targets=("$@")
((${#targets[@]} > 0)) || targets=(slurmd slurmctld munged)
for target in "${targets[@]}"; do
  case "$target" in
    slurmd | slurmctld) stop "$target" "$DIR/$target.pid" ;;
    munged)
      if [[ -f "$DIR/munged.started-by-up" ]]; then
        stop munged /run/munge/munged.pid
        rm -f "$DIR/munged.started-by-up"
      fi ;;
    *) log "unknown daemon $target (expected slurmd, slurmctld or munged)"; exit 2 ;;
  esac
done
