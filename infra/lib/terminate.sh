# Shared by the infra/*/down.sh scripts (sourced, not run).

# Whether a process is alive: it exists and is not a zombie waiting for a parent to reap it.
pid_alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ "${stat:0:1}" != Z ]]
}

# terminate_pids GRACE_SECONDS LABEL PID...: SIGTERM, then SIGKILL whatever is still alive after the
# grace period, then wait (10 s at most) until every process is gone. Uses the caller's `log`.
terminate_pids() {
  local grace="$1" label="$2" pid alive
  shift 2
  (($# > 0)) || return 0
  kill -TERM "$@" 2>/dev/null || true
  for _ in $(seq $((grace * 10))); do
    alive=0
    for pid in "$@"; do pid_alive "$pid" && alive=1; done
    ((alive == 0)) && return 0
    sleep 0.1
  done
  log "$label ignored SIGTERM for ${grace} s; killing it"
  kill -KILL "$@" 2>/dev/null || true
  for _ in $(seq 100); do
    alive=0
    for pid in "$@"; do pid_alive "$pid" && alive=1; done
    ((alive == 0)) && return 0
    sleep 0.1
  done
}
