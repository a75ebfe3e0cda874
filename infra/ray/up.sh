#!/usr/bin/env bash
# Starts a single-node Ray head on loopback for Ballast's Ray backend (tests and local use), sized for a
# small machine. The head is its own: its temp dir is the state directory, and every port it listens on
# is picked free when it starts (or pinned below), so two state directories are two independent heads.
# Idempotent per directory: a head started there that still answers is left alone; a head of another
# directory (or anything else) on a port is never adopted.
#
#   infra/ray/up.sh [--run-dir DIR]      # last line: the Jobs API address, e.g. http://127.0.0.1:24811
#
# Output: KEY=VALUE lines for tests (also written to DIR/test-env), then the address as the last line.
#
# Environment:
#   BALLAST_RAY_DIR             state and temp dir when --run-dir is not given (default /tmp/ballast-ray;
#                               keep it short, Ray puts unix sockets below it)
#   BALLAST_RAY_GCS_PORT        GCS port (default: a free one)
#   BALLAST_RAY_DASHBOARD_PORT  Jobs API / dashboard port (default: a free one)
#   BALLAST_RAY_CPUS            CPUs the head offers to jobs (default 2)
#   BALLAST_RAY_OBJECT_STORE_MB object store size (default 500)
set -euo pipefail

RAY_VERSION=2.60.0

HERE="$(dirname "${BASH_SOURCE[0]}")"
source "$HERE/../lib/run-dir.sh"
run_dir_from_args "${BALLAST_RAY_DIR:-/tmp/ballast-ray}" "$@"
((${#RUN_DIR_REST[@]} == 0)) || { echo "usage: infra/ray/up.sh [--run-dir DIR]" >&2; exit 2; }
ray_dir="$RUN_DIR"
source "$HERE/lib.sh"

repo="$(cd "$HERE/../.." && pwd)"
venv="$repo/.tools/ray-venv"
cpus="${BALLAST_RAY_CPUS:-2}"
object_store_mb="${BALLAST_RAY_OBJECT_STORE_MB:-500}"

jobs_api_answers() {
  "$venv/bin/python" - "$1" <<'PY' 2>/dev/null
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "/api/version", timeout=2) as response:
    sys.exit(0 if response.status == 200 else 1)
PY
}

announce() {
  write_test_env "$ray_dir" "BALLAST_TEST_RAY_ADDRESS=$1" "BALLAST_TEST_RAY_DIR=$ray_dir"
  echo "$1"
}

if [[ ! -x "$venv/bin/ray" ]] || ! "$venv/bin/python" -c "import ray, sys; sys.exit(ray.__version__ != '$RAY_VERSION')" 2>/dev/null; then
  echo "installing ray[default]==$RAY_VERSION into $venv (first use only)" >&2
  [[ -x "$venv/bin/pip" ]] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "ray[default]==$RAY_VERSION" >&2
fi

mkdir -p "$ray_dir"
lock_run_dir "$ray_dir"

# This directory's head, if its processes live and its recorded address answers.
if [[ -s "$ray_dir/address" ]] && (($(head_pids "$ray_dir" | wc -l) > 0)); then
  address="$(cat "$ray_dir/address")"
  if jobs_api_answers "$address"; then
    announce "$address"
    exit 0
  fi
  echo "the Ray head in $ray_dir does not answer at $address; restarting it" >&2
  bash "$HERE/down.sh" --run-dir "$ray_dir" --locked >&2
fi

# Ray's fixed defaults (client server 10001, dashboard agent 52365, workers 10002-19999) would collide
# between two heads; the ports Ray leaves at 0 (node manager, object manager, metrics, agents' gRPC) are
# already random, and min/max worker port 0 makes workers' ports random too.
gcs_port="${BALLAST_RAY_GCS_PORT:-$(free_port)}"
dashboard_port="${BALLAST_RAY_DASHBOARD_PORT:-$(free_port "$gcs_port")}"
client_port="$(free_port "$gcs_port" "$dashboard_port")"
agent_port="$(free_port "$gcs_port" "$dashboard_port" "$client_port")"
for port in "$gcs_port" "$dashboard_port"; do
  if port_taken "$port"; then
    echo "port $port is taken; a Ray head is never adopted by port (unset BALLAST_RAY_*_PORT to get free ones)" >&2
    exit 1
  fi
done
address="http://127.0.0.1:$dashboard_port"

# Ray turns --node-ip-address=127.0.0.1 into the host's first routable address on Linux; the switch it
# uses on macOS/Windows to keep a single-machine cluster on loopback does the same here. 9>&-: Ray's
# daemons must not inherit (and so hold forever) the state directory's lock.
# BALLAST_RAY_HEAD_DIR marks every process of this head (they inherit it) for down.sh.
BALLAST_RAY_HEAD_DIR="$ray_dir" RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 RAY_USAGE_STATS_ENABLED=0 "$venv/bin/ray" start --head \
  --node-ip-address=127.0.0.1 \
  --port="$gcs_port" \
  --ray-client-server-port="$client_port" \
  --dashboard-host=127.0.0.1 \
  --dashboard-port="$dashboard_port" \
  --dashboard-agent-listen-port="$agent_port" \
  --min-worker-port=0 \
  --max-worker-port=0 \
  --include-dashboard=true \
  --num-cpus="$cpus" \
  --num-gpus=0 \
  --object-store-memory=$((object_store_mb * 1024 * 1024)) \
  --temp-dir="$ray_dir" \
  --disable-usage-stats >"$ray_dir/start.log" 2>&1 9>&- || {
  cat "$ray_dir/start.log" >&2
  exit 1
}
printf '%s\n' "$address" >"$ray_dir/address"

for _ in $(seq 1 120); do
  if jobs_api_answers "$address"; then
    announce "$address"
    exit 0
  fi
  sleep 0.5
done
echo "the Ray Jobs API at $address did not answer within 60 s; see $ray_dir/start.log and $ray_dir/session_latest/logs" >&2
exit 1
