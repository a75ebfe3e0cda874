#!/usr/bin/env bash
# Stops the test sshd that up.sh started, and waits until it is gone. Idempotent; other sshd processes
# on the host are left alone. Keys stay in the state directory for the next up.sh.
#
# Environment: BALLAST_SSH_DIR (state directory, default /tmp/ballast-ssh).
set -euo pipefail

DIR="${BALLAST_SSH_DIR:-/tmp/ballast-ssh}"

log() { printf 'ssh down: %s\n' "$*" >&2; }

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/terminate.sh"

pid="$(sshd_pid "$DIR" || true)"
[[ -n "$pid" ]] || exit 0
log "stopping sshd ($pid)"
terminate_pids 10 "sshd ($pid)" "$pid"
