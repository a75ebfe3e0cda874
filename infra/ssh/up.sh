#!/usr/bin/env bash
# Starts a real OpenSSH server on 127.0.0.1, standing in for a cluster's login node in the Slurm
# backend's SSH tests and for trying SSH mode locally. Idempotent: a server this script started that
# still answers is left alone. Keys, config, logs and pid live in one state directory. The last line
# printed is a JSON object with what a client needs:
#
#   infra/ssh/up.sh | tail -n 1
#   {"host":"127.0.0.1","port":23817,"user":"root","identityFile":"/tmp/ballast-ssh/client_ed25519","knownHostsFile":"/tmp/ballast-ssh/known_hosts"}
#
# Test-only server: loopback only, a temporary host key, one authorized key (generated here), public-key
# login only, StrictModes off (the state directory sits under /tmp). Needs root and the openssh-server
# package; it exits 3 when sshd is not installed, so callers can tell "absent" from "broken".
#
# Environment: BALLAST_SSH_DIR (state directory, default /tmp/ballast-ssh).
set -euo pipefail

DIR="${BALLAST_SSH_DIR:-/tmp/ballast-ssh}"
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH"

log() { printf 'ssh up: %s\n' "$*" >&2; }

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

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
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local port=$((20000 + RANDOM % 12000))
  for _ in $(seq 200); do
    port_taken "$port" || { printf '%s\n' "$port"; return 0; }
    port=$((port >= 31999 ? 20000 : port + 1))
  done
  log "no free port in 20000-32000"
  exit 1
}

connection_json() {
  printf '{"host":"127.0.0.1","port":%s,"user":"%s","identityFile":"%s","knownHostsFile":"%s"}\n' \
    "$1" "$USER_NAME" "$DIR/client_ed25519" "$DIR/known_hosts"
}

# A login as the client would make it: same key, same known_hosts, strict checking.
answers() {
  ssh -F none -n -T -p "$1" -l "$USER_NAME" -i "$DIR/client_ed25519" -o IdentitiesOnly=yes \
    -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$DIR/known_hosts" \
    -o ConnectTimeout=2 -o LogLevel=ERROR 127.0.0.1 true 2>/dev/null
}

install -d -m 0700 "$DIR"
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

port="$(free_port)"
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
nohup setsid "$SSHD" -D -f "$DIR/sshd_config" -E "$DIR/sshd.log" </dev/null >>"$DIR/sshd.out" 2>&1 &
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
