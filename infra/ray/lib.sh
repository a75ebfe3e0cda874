# Shared by up.sh and down.sh (sourced, not run).

# This script and the processes above it (a caller's command line may name the directory too).
ancestors() {
  local pid="$$" stat
  while [[ "$pid" -gt 1 ]]; do
    printf '%s\n' "$pid"
    stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || return 0
    stat="${stat##*) }"
    pid="$(cut -d' ' -f2 <<<"$stat")"
  done
}

# Pids of the Ray head whose temp dir is $1: every process whose command line names that directory (its
# session directory lives there), or whose environment carries up.sh's BALLAST_RAY_HEAD_DIR mark for it
# (Ray renames its agents, `ray::DashboardAgent`, and they can outlive the raylet). Ray clusters under
# other temp dirs do not match.
head_pids() {
  local dir="$1" skip
  skip=" $(ancestors | tr '\n' ' ') "
  # One grep over every command line and environment (NUL-separated: -a, and -z with -x for a whole
  # variable); the path of a match is /proc/PID/cmdline or /proc/PID/environ.
  {
    grep -alF -- "$dir/" /proc/[0-9]*/cmdline 2>/dev/null || true
    grep -lzxF -- "BALLAST_RAY_HEAD_DIR=$dir" /proc/[0-9]*/environ 2>/dev/null || true
  } | sort -u | while IFS=/ read -r _ _ pid _; do
    # Not a caller, and not the grep itself (its own command line holds the pattern).
    [[ "$skip" != *" $pid "* && "$(cat "/proc/$pid/comm" 2>/dev/null)" != grep ]] && printf '%s\n' "$pid"
  done || true
}
