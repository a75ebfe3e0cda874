# Shared by up.sh and down.sh (sourced, not run).

# The pid in a daemon's pid file, if that process is alive and is that daemon (pids get reused).
daemon_pid() {
  local name="$1" file="$2" pid
  [[ -r "$file" ]] || return 1
  pid="$(tr -dc '0-9' <"$file")"
  [[ -n "$pid" && -r "/proc/$pid/comm" ]] || return 1
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$name" ]] || return 1
  printf '%s\n' "$pid"
}
