#!/usr/bin/env bash
# Stops the test sshd that up.sh started in one state directory, and waits until it is gone. Idempotent;
# other sshd processes on the host (other directories' too) are left alone. Keys stay for the next up.sh.
#
#   infra/ssh/down.sh [--run-dir DIR]
#
# Environment: BALLAST_SSH_DIR (state directory when --run-dir is not given, default /tmp/ballast-ssh).
set -euo pipefail

HERE="$(dirname "${BASH_SOURCE[0]}")"
source "$HERE/../lib/run-dir.sh"
run_dir_from_args "${BALLAST_SSH_DIR:-/tmp/ballast-ssh}" "$@"
((${#RUN_DIR_REST[@]} == 0)) || { echo "usage: infra/ssh/down.sh [--run-dir DIR]" >&2; exit 2; }
DIR="$RUN_DIR"

log() { printf 'ssh down: %s\n' "$*" >&2; }

source "$HERE/lib.sh"
source "$HERE/../lib/terminate.sh"

[[ -d "$DIR" ]] || exit 0
lock_run_dir "$DIR" 120

pid="$(sshd_pid "$DIR" || true)"
[[ -n "$pid" ]] || exit 0
log "stopping sshd ($pid)"
terminate_pids 10 "sshd ($pid)" "$pid"
