#!/usr/bin/env bash
# Stops the Ray head that infra/ray/up.sh started in one state directory, and only it: every process
# whose command line names that directory. Other heads, and Ray clusters of running jobs elsewhere on the
# machine (Ray-on-Slurm, under their own temp dirs), are left alone, which `ray stop` would not do.
# Idempotent. SIGTERM first, SIGKILL after 5 s.
#
#   infra/ray/down.sh [--run-dir DIR]
#
# Environment: BALLAST_RAY_DIR (state directory when --run-dir is not given, default /tmp/ballast-ray).
set -euo pipefail

HERE="$(dirname "${BASH_SOURCE[0]}")"
source "$HERE/../lib/run-dir.sh"
source "$HERE/../lib/terminate.sh"
source "$HERE/lib.sh"
# --locked: called by up.sh, which holds the directory's lock already.
locked=0
args=()
for arg in "$@"; do [[ "$arg" == --locked ]] && locked=1 || args+=("$arg"); done
run_dir_from_args "${BALLAST_RAY_DIR:-/tmp/ballast-ray}" "${args[@]}"
((${#RUN_DIR_REST[@]} == 0)) || { echo "usage: infra/ray/down.sh [--run-dir DIR]" >&2; exit 2; }
ray_dir="$RUN_DIR"

[[ -d "$ray_dir" ]] || { echo "Ray head not running"; exit 0; }
((locked == 1)) || lock_run_dir "$ray_dir" 120

mapfile -t pids < <(head_pids "$ray_dir")
if ((${#pids[@]} == 0)); then
  echo "Ray head not running"
  exit 0
fi
log() { printf 'ray down: %s\n' "$*" >&2; }
terminate_pids 5 "the Ray head" "${pids[@]}"
rm -f "$ray_dir/address"
echo "Ray stopped"
