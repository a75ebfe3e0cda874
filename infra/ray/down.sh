#!/usr/bin/env bash
# Stops the Ray head started by infra/ray/up.sh, and only it: every process whose command line names
# this head's temp dir (its session directory lives there). Ray clusters of running jobs elsewhere on the
# machine (Ray-on-Slurm, under their own temp dirs) are left alone, which `ray stop` would not do.
# Idempotent. SIGTERM first, SIGKILL after 5 s.
set -euo pipefail

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
kill -TERM "${pids[@]}" 2>/dev/null || true
for _ in $(seq 1 25); do
  mapfile -t pids < <(head_pids)
  ((${#pids[@]} == 0)) && { echo "Ray stopped"; exit 0; }
  sleep 0.2
done
kill -KILL "${pids[@]}" 2>/dev/null || true
echo "Ray stopped (SIGKILL after 5 s)"
