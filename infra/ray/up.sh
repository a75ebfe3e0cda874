#!/usr/bin/env bash
# Starts a single-node Ray head on loopback for Ballast's Ray backend (tests and local use), sized for a
# small machine. Idempotent: a head that already answers is left alone. The last line printed is the
# Jobs API address.
#
#   infra/ray/up.sh            # → http://127.0.0.1:8265
#
# Environment:
#   BALLAST_RAY_DIR             state and temp dir (default /tmp/ballast-ray; keep it short, Ray puts
#                               unix sockets below it)
#   BALLAST_RAY_GCS_PORT        GCS port (default 6390)
#   BALLAST_RAY_DASHBOARD_PORT  Jobs API / dashboard port (default 8265)
#   BALLAST_RAY_CPUS            CPUs the head offers to jobs (default 2)
#   BALLAST_RAY_OBJECT_STORE_MB object store size (default 500)
set -euo pipefail

RAY_VERSION=2.60.0

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="$repo/.tools/ray-venv"
ray_dir="${BALLAST_RAY_DIR:-/tmp/ballast-ray}"
gcs_port="${BALLAST_RAY_GCS_PORT:-6390}"
dashboard_port="${BALLAST_RAY_DASHBOARD_PORT:-8265}"
cpus="${BALLAST_RAY_CPUS:-2}"
object_store_mb="${BALLAST_RAY_OBJECT_STORE_MB:-500}"
address="http://127.0.0.1:$dashboard_port"

jobs_api_answers() {
  "$venv/bin/python" - "$address" <<'PY' 2>/dev/null
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "/api/version", timeout=2) as response:
    sys.exit(0 if response.status == 200 else 1)
PY
}

if [[ ! -x "$venv/bin/ray" ]] || ! "$venv/bin/python" -c "import ray, sys; sys.exit(ray.__version__ != '$RAY_VERSION')" 2>/dev/null; then
  echo "installing ray[default]==$RAY_VERSION into $venv (first use only)" >&2
  [[ -x "$venv/bin/pip" ]] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "ray[default]==$RAY_VERSION" >&2
fi

if jobs_api_answers; then
  echo "$address"
  exit 0
fi

mkdir -p "$ray_dir"
# Ray turns --node-ip-address=127.0.0.1 into the host's first routable address on Linux; the switch it
# uses on macOS/Windows to keep a single-machine cluster on loopback does the same here.
RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 RAY_USAGE_STATS_ENABLED=0 "$venv/bin/ray" start --head \
  --node-ip-address=127.0.0.1 \
  --port="$gcs_port" \
  --dashboard-host=127.0.0.1 \
  --dashboard-port="$dashboard_port" \
  --include-dashboard=true \
  --num-cpus="$cpus" \
  --num-gpus=0 \
  --object-store-memory=$((object_store_mb * 1024 * 1024)) \
  --temp-dir="$ray_dir" \
  --disable-usage-stats >"$ray_dir/start.log" 2>&1 || {
  cat "$ray_dir/start.log" >&2
  exit 1
}

for _ in $(seq 1 120); do
  if jobs_api_answers; then
    echo "$address"
    exit 0
  fi
  sleep 0.5
done
echo "the Ray Jobs API at $address did not answer within 60 s; see $ray_dir/start.log and $ray_dir/session_latest/logs" >&2
exit 1
