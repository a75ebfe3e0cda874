# Shared by the infra/{slurm,ray,ssh} up.sh and down.sh scripts (sourced, not run): the state directory
# a fixture lives in, free ports, and the lock that keeps two up.sh calls for one directory apart.
#
# Every fixture lives entirely in its state directory (config, pid files, logs, sockets) and on ports it
# picked when it started, so two runs that pass different directories never share or stop each other's
# daemons. The test runner passes `--run-dir DIR` (a directory of its own per run); a person trying
# Ballast locally may leave it out and get the fixture's well-known default directory.

# run_dir_from_args DEFAULT ARGS...: sets RUN_DIR to the directory named by `--run-dir DIR` (or
# `--run-dir=DIR`) in ARGS, else DEFAULT, and RUN_DIR_REST to the other arguments. Exits 2 on a bad option.
run_dir_from_args() {
  local dir="$1"
  shift
  RUN_DIR_REST=()
  while (($# > 0)); do
    case "$1" in
      --run-dir) [[ $# -ge 2 && -n "$2" ]] || { echo "--run-dir needs a directory" >&2; exit 2; }; dir="$2"; shift 2 ;;
      --run-dir=*) dir="${1#--run-dir=}"; shift ;;
      --*) echo "unknown option $1 (expected --run-dir DIR)" >&2; exit 2 ;;
      *) RUN_DIR_REST+=("$1"); shift ;;
    esac
  done
  [[ "$dir" == /* ]] || { echo "the state directory must be an absolute path: $dir" >&2; exit 2; }
  RUN_DIR="$dir"
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port [EXCLUDED...]: a TCP port in 20000-31999 that nothing listens on now and is not EXCLUDED.
# Below Linux's ephemeral range (32768-60999), so ports the OS hands out never collide with it; random,
# so two runs starting at once rarely try the same one (each start checks its daemons came up anyway).
free_port() {
  local port excluded taken
  for _ in $(seq 400); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
    taken=0
    for excluded in "$@"; do [[ "$port" == "$excluded" ]] && taken=1; done
    ((taken == 0)) && ! port_taken "$port" && { printf '%s\n' "$port"; return 0; }
  done
  echo "no free TCP port in 20000-31999 on 127.0.0.1" >&2
  return 1
}

# lock_run_dir DIR [SECONDS]: holds an exclusive lock on DIR/.lock until the calling script exits, so that two
# up.sh (or an up.sh and a down.sh) for the same directory run one after the other. Waits 10 minutes at
# most by default (a first up.sh may be installing packages) and then fails, saying so. Daemons the caller starts
# must not inherit the lock: start them with `9>&-`.
lock_run_dir() {
  local dir="$1" seconds="${2:-600}"
  exec 9>"$dir/.lock"
  if ! flock -w "$seconds" 9; then
    echo "waited $seconds s for the lock on $dir/.lock (another up.sh or down.sh for this directory)" >&2
    exit 1
  fi
}

# write_test_env DIR LINE...: records the KEY=VALUE lines a test process needs in DIR/test-env (read
# by the test runner) and prints them, so the caller's output lists them before its last line.
write_test_env() {
  local dir="$1"
  shift
  printf '%s\n' "$@" >"$dir/test-env.tmp"
  mv "$dir/test-env.tmp" "$dir/test-env"
  printf '%s\n' "$@"
}
