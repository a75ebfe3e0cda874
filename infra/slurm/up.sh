#!/usr/bin/env bash
# Starts a real single-node Slurm cluster (Debian's Slurm 22.05) on this host, for Ballast's tests and
# for local use. Everything the cluster uses is its own: one state directory (config, state, spool,
# logs, pid files), a munged of its own on a socket in that directory, and controller/slurmd ports
# picked free when the config is written. Two state directories are two independent clusters.
# Idempotent per directory: daemons already running there are left alone.
#
#   infra/slurm/up.sh [--run-dir DIR]
#
# Output: KEY=VALUE lines for tests (also written to DIR/test-env), then, as the last line, the
# SLURM_CONF path callers export:
#
#   eval "export SLURM_CONF=$(infra/slurm/up.sh --run-dir /tmp/my-run/slurm | tail -n 1)"
#
# Environment: BALLAST_SLURM_DIR (state directory when --run-dir is not given, default /tmp/ballast-slurm);
# BALLAST_SLURM_CTLD_PORT, BALLAST_SLURM_SLURMD_PORT pin the ports (default: free ones, 20000-31999);
# BALLAST_SLURM_CPUS sets the CPUs the node offers (default: nproc; npm test offers more, so that the test
# jobs of files running at once, which mostly sleep, do not queue behind each other).
set -euo pipefail

HERE="$(dirname "${BASH_SOURCE[0]}")"
source "$HERE/../lib/run-dir.sh"
run_dir_from_args "${BALLAST_SLURM_DIR:-/tmp/ballast-slurm}" "$@"
((${#RUN_DIR_REST[@]} == 0)) || { echo "usage: infra/slurm/up.sh [--run-dir DIR]" >&2; exit 2; }
DIR="$RUN_DIR"
CONF="$DIR/slurm.conf"
# munged's socket, key, seed and log; its key never leaves this directory.
MUNGE="$DIR/munge"
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH"
export SLURM_CONF="$CONF"
PACKAGES=(munge slurmctld slurmd slurm-client)

log() { printf 'slurm up: %s\n' "$*" >&2; }

source "$HERE/lib.sh"

install_packages() {
  local missing=()
  command -v munged >/dev/null || missing+=(munge)
  command -v slurmctld >/dev/null || missing+=(slurmctld)
  command -v slurmd >/dev/null || missing+=(slurmd)
  command -v sbatch >/dev/null || missing+=(slurm-client)
  ((${#missing[@]} == 0)) && return 0
  if [[ "$(id -u)" != 0 ]]; then
    log "missing packages: ${missing[*]}; as root run: apt-get update && apt-get install -y ${PACKAGES[*]}"
    exit 1
  fi
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >&2
}

# This cluster's own munged (a machine's /run/munge one is shared by every cluster on it, and the first
# run to stop it would take authentication away from the others). As root with --force: munged insists
# that every directory above its socket is world-executable, and a test runner's temp dir is 0700; all
# of this cluster's clients and daemons run as root, so nothing else needs to reach the socket.
munge_works() { munge -S "$MUNGE/munge.socket" -n </dev/null 2>/dev/null | unmunge -S "$MUNGE/munge.socket" >/dev/null 2>&1; }

start_munge() {
  munge_works && return 0
  install -d -m 0755 "$MUNGE"
  install -d -m 0700 "$MUNGE/private"
  if [[ ! -s "$MUNGE/private/munge.key" ]]; then
    if command -v mungekey >/dev/null; then
      mungekey --create --keyfile="$MUNGE/private/munge.key"
    else
      dd if=/dev/urandom of="$MUNGE/private/munge.key" bs=1 count=1024 status=none
    fi
    chmod 0400 "$MUNGE/private/munge.key"
  fi
  log "starting munged on $MUNGE/munge.socket"
  munged --force --socket="$MUNGE/munge.socket" --key-file="$MUNGE/private/munge.key" \
    --pid-file="$MUNGE/munged.pid" --seed-file="$MUNGE/private/munged.seed" --log-file="$MUNGE/munged.log" 9>&-
  for _ in $(seq 50); do
    munge_works && return 0
    sleep 0.1
  done
  log "munged did not come up; see $MUNGE/munged.log"
  exit 1
}

write_conf() {
  local cpus mem_mb headroom ctld_port slurmd_port gres_line="" gpus
  cpus="${BALLAST_SLURM_CPUS:-$(nproc)}"
  mem_mb=$(($(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024))
  headroom=$((mem_mb / 10 > 512 ? mem_mb / 10 : 512))
  mem_mb=$((mem_mb - headroom > 256 ? mem_mb - headroom : 256))
  ctld_port="${BALLAST_SLURM_CTLD_PORT:-$(free_port)}"
  slurmd_port="${BALLAST_SLURM_SLURMD_PORT:-$(free_port "$ctld_port")}"
  gpus="$(find /dev -maxdepth 1 -name 'nvidia[0-9]*' 2>/dev/null | wc -l)"
  if ((gpus > 0)); then
    gres_line="Gres=gpu:$gpus"
    printf 'AutoDetect=off\nName=gpu File=/dev/nvidia[0-%d]\n' $((gpus - 1)) >"$DIR/gres.conf"
  else
    rm -f "$DIR/gres.conf"
  fi
  cat >"$CONF.tmp" <<EOF
# Written by infra/slurm/up.sh for a single-node Ballast test cluster; rewritten when no daemon runs.
ClusterName=ballast
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
# This cluster's own munged. A requeued job waits cred_expire seconds before it may start again
# (default 120): keep tests quick.
AuthInfo=socket=$MUNGE/munge.socket,cred_expire=10
StateSaveLocation=$DIR/ctld-state
SlurmdSpoolDir=$DIR/slurmd-spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$DIR/jobcomp.log
MinJobAge=300
KillWait=5
# Fail fast when the controller is down: client commands retry for about this long.
MessageTimeout=5
# Without it a job that asks for no memory is given the whole node's.
DefMemPerCPU=512
ReturnToService=2
MpiDefault=none
SlurmdParameters=config_overrides
$( ((gpus > 0)) && echo "GresTypes=gpu" )
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb $gres_line State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
  mv "$CONF.tmp" "$CONF"
  log "wrote $CONF (CPUs=$cpus RealMemory=${mem_mb}M GPUs=$gpus ports $ctld_port/$slurmd_port)"
}

start_daemon() {
  local name="$1"
  shift
  log "starting $name"
  rm -f "$DIR/$name.pid"
  # 9>&-: the daemon must not inherit (and so hold forever) the run directory's lock.
  nohup setsid "$@" </dev/null >>"$DIR/$name.out" 2>&1 9>&- &
  echo $! >"$DIR/$name.launched-pid"
}

dump_logs() {
  for file in slurmctld.log slurmctld.out slurmd.log slurmd.out; do
    [[ -f "$DIR/$file" ]] && { echo "--- $DIR/$file" >&2; tail -n 30 "$DIR/$file" >&2; }
  done
}

node_state() { sinfo -h -n localhost -o %T 2>/dev/null | head -n 1; }

main() {
  install_packages
  if [[ "$(id -u)" != 0 ]]; then
    log "slurmd must run as root (SlurmdUser=root); run this script as root"
    exit 1
  fi
  mkdir -p "$DIR/ctld-state" "$DIR/slurmd-spool"
  chmod 0755 "$DIR"
  lock_run_dir "$DIR"
  start_munge

  local ctld=0 slurmd=0
  daemon_pid slurmctld "$DIR/slurmctld.pid" >/dev/null && ctld=1
  daemon_pid slurmd "$DIR/slurmd.pid" >/dev/null && slurmd=1
  # A running daemon keeps the config it started with; only rewrite it when nothing uses it.
  if [[ ! -f "$CONF" ]] || ((ctld == 0 && slurmd == 0)); then write_conf; fi

  ((ctld == 1)) || start_daemon slurmctld slurmctld -D -i -f "$CONF"
  ((slurmd == 1)) || start_daemon slurmd slurmd -D -N localhost -f "$CONF"

  local deadline=$((SECONDS + 60)) state="" resumed=0
  while ((SECONDS < deadline)); do
    state="$(node_state || true)"
    case "$state" in
      idle | mixed | allocated | completing)
        write_test_env "$DIR" "BALLAST_TEST_SLURM_CONF=$CONF" "BALLAST_TEST_SLURM_DIR=$DIR"
        printf '%s\n' "$CONF"
        return 0 ;;
      down | drained | draining | drain)
        if ((resumed == 0)); then scontrol update NodeName=localhost State=RESUME >/dev/null 2>&1 || true; resumed=1; fi ;;
    esac
    for name in slurmctld slurmd; do
      local launched
      launched="$(cat "$DIR/$name.launched-pid" 2>/dev/null || true)"
      if [[ -n "$launched" && ! -d "/proc/$launched" ]] && ! daemon_pid "$name" "$DIR/$name.pid" >/dev/null; then
        log "$name exited during startup"
        dump_logs
        exit 1
      fi
    done
    sleep 0.5
  done
  log "node not ready after 60 s (state: ${state:-none})"
  dump_logs
  exit 1
}

main
