#!/usr/bin/env bash
# Starts a real OpenSSH server on 127.0.0.1, standing in for a cluster's login node in the Slurm
# backend's SSH tests and for trying SSH mode locally. Idempotent per state directory: a server this
# script started there that still answers is left alone; servers of other directories are none of its
# business. Keys, config, logs and pid live in the state directory, the port is picked free. Output:
# KEY=VALUE lines for tests (also written to DIR/test-env), then, as the last line, a JSON object with
# what a client needs (also written to DIR/connection.json):
#
#   infra/ssh/up.sh [--run-dir DIR] | tail -n 1
#   {"host":"127.0.0.1","port":23817,"user":"root","identityFile":"/tmp/ballast-ssh/client_ed25519","knownHostsFile":"/tmp/ballast-ssh/known_hosts"}
#
# Test-only server: loopback only, a temporary host key, one authorized key (generated here), public-key
# login only, StrictModes off (the state directory sits under /tmp). Needs root and the openssh-server
# package; it exits 3 when sshd is not installed, so callers can tell "absent" from "broken".
#
# Environment: BALLAST_SSH_DIR (state directory when --run-dir is not given, default /tmp/ballast-ssh).
set -euo pipefail

HERE="$(dirname "${BASH_SOURCE[0]}")"
source "$HERE/../lib/run-dir.sh"
run_dir_from_args "${BALLAST_SSH_DIR:-/tmp/ballast-ssh}" "$@"
((${#RUN_DIR_REST[@]} == 0)) || { echo "usage: infra/ssh/up.sh [--run-dir DIR]" >&2; exit 2; }
DIR="$RUN_DIR"
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH"

log() { printf 'ssh up: %s\n' "$*" >&2; }

source "$HERE/lib.sh"

SSHD="$(command -v sshd || true)"
if [[ -z "$SSHD" ]]; then
  log "sshd not found; install the openssh-server package (apt-get install -y openssh-server openssh-client)"
  exit 3
fi
for tool in ssh ssh-keygen; do
  command -v "$tool" >/dev/null || { log "$tool not found; install the openssh-client package"; exit 3; }
done
if [[ "$(id -u)" != 0 ]]; then
  log "run this script as root (sshd authenticates users only when it runs as root)"
  exit 1
fi

USER_NAME="$(id -un)"

# Prints (and records) what tests and clients need; the JSON object is the last line.
connection_json() {
  local json
  json="$(printf '{"host":"127.0.0.1","port":%s,"user":"%s","identityFile":"%s","knownHostsFile":"%s"}' \
    "$1" "$USER_NAME" "$DIR/client_ed25519" "$DIR/known_hosts")"
  printf '%s\n' "$json" >"$DIR/connection.json"
  write_test_env "$DIR" "BALLAST_TEST_SSH_DIR=$DIR" "BALLAST_TEST_SSH_PORT=$1"
  printf '%s\n' "$json"
}

# A login as the client would make it: same key, same known_hosts, strict checking.
answers() {
  ssh -F none -n -T -p "$1" -l "$USER_NAME" -i "$DIR/client_ed25519" -o IdentitiesOnly=yes \
    -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$DIR/known_hosts" \
    -o ConnectTimeout=2 -o LogLevel=ERROR 127.0.0.1 true 2>/dev/null
}

install -d -m 0700 "$DIR"
lock_run_dir "$DIR"
# sshd's privilege separation directory; Debian creates it only from its service unit.
install -d -m 0755 /run/sshd

running="$(sshd_pid "$DIR" || true)"
if [[ -n "$running" ]]; then
  port="$(cat "$DIR/port")"
  if answers "$port"; then
    connection_json "$port"
    exit 0
  fi
  log "sshd ($running) does not answer on $port; restarting it"
  kill -TERM "$running" 2>/dev/null || true
  for _ in $(seq 50); do [[ -d "/proc/$running" ]] || break; sleep 0.1; done
fi

[[ -s "$DIR/host_ed25519_key" ]] || ssh-keygen -q -t ed25519 -N '' -C ballast-test-host -f "$DIR/host_ed25519_key"
[[ -s "$DIR/client_ed25519" ]] || ssh-keygen -q -t ed25519 -N '' -C ballast-test-client -f "$DIR/client_ed25519"
install -m 0600 "$DIR/client_ed25519.pub" "$DIR/authorized_keys"

port="$(free_port)" || exit 1
printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$DIR/host_ed25519_key.pub")" >"$DIR/known_hosts"
cat >"$DIR/sshd_config" <<EOF
# Written by infra/ssh/up.sh: a loopback-only, key-only test server.
Port $port
ListenAddress 127.0.0.1
HostKey $DIR/host_ed25519_key
PidFile $DIR/sshd.pid
AuthorizedKeysFile $DIR/authorized_keys
AllowUsers $USER_NAME
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
# The keys live under /tmp, which StrictModes would reject as world-writable.
StrictModes no
PermitUserEnvironment no
AllowAgentForwarding no
AllowTcpForwarding no
X11Forwarding no
PermitTunnel no
PrintMotd no
# Tests open many short connections at once (concurrent submitters).
MaxStartups 100:30:200
LogLevel INFO
EOF
printf '%s\n' "$port" >"$DIR/port"

"$SSHD" -t -f "$DIR/sshd_config"
log "starting sshd on 127.0.0.1:$port"
# 9>&-: sshd must not inherit (and so hold forever) the state directory's lock.
nohup setsid "$SSHD" -D -f "$DIR/sshd_config" -E "$DIR/sshd.log" </dev/null >>"$DIR/sshd.out" 2>&1 9>&- &
launched=$!

for _ in $(seq 100); do
  if answers "$port"; then
    connection_json "$port"
    exit 0
  fi
  if [[ ! -d "/proc/$launched" ]]; then
    log "sshd exited during startup"
    tail -n 20 "$DIR/sshd.log" "$DIR/sshd.out" >&2 2>/dev/null || true
    exit 1
  fi
  sleep 0.1
done
log "sshd did not accept a login within 10 s"
tail -n 20 "$DIR/sshd.log" >&2 2>/dev/null || true
exit 1
