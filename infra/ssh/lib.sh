# Shared by up.sh and down.sh (sourced, not run).

# The pid of the sshd that up.sh started for this state directory, if it is alive (pids get reused, and
# the host may run other sshd processes that are none of ours).
sshd_pid() {
  local dir="$1" pid
  [[ -r "$dir/sshd.pid" ]] || return 1
  pid="$(tr -dc '0-9' <"$dir/sshd.pid")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "-f $dir/sshd_config" || return 1
  printf '%s\n' "$pid"
}
