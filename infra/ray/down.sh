#!/usr/bin/env bash
# Stops the Ray head started by infra/ray/up.sh, and only it: every process whose command line names
# this head's temp dir (its session directory lives there). Ray clusters of running jobs elsewhere on the
# machine (Ray-on-Slurm, under their own temp dirs) are left alone, which `ray stop` would not do.
# Idempotent. SIGTERM first, SIGKILL after 5 s.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/terminate.sh"

ray_dir="${BALLAST_RAY_DIR:-/tmp/ballast-ray}"

head_pids() {
  # One grep over every command line (NUL-separated, hence -a); the path of a match is /proc/PID/cmdline.
  grep -alF -- "$ray_dir/" /proc/[0-9]*/cmdline 2>/dev/null | while IFS=/ read -r _ _ pid _; do
    # Not this script, and not the grep itself (its own command line holds the pattern).
    [[ "$pid" != "$$" && "$(cat "/proc/$pid/comm" 2>/dev/null)" != grep ]] && printf '%s\n' "$pid"
  done || true
}

mapfile -t pids < <(head_pids)
if ((${#pids[@]} == 0)); then
  echo "Ray head not running"
  exit 0
fi
log() { printf 'ray down: %s\n' "$*" >&2; }
terminate_pids 5 "the Ray head" "${pids[@]}"
echo "Ray stopped"
