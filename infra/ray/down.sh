#!/usr/bin/env bash
# Stops the Ray head started by infra/ray/up.sh. Idempotent. `ray stop` ends every Ray process of this
# user on the machine, which on a dev box or CI runner is this head.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ray="$repo/.tools/ray-venv/bin/ray"
ray_dir="${BALLAST_RAY_DIR:-/tmp/ballast-ray}"

if [[ ! -x "$ray" ]]; then
  echo "no Ray venv at $repo/.tools/ray-venv; nothing to stop"
  exit 0
fi
mkdir -p "$ray_dir"
if "$ray" stop --force >"$ray_dir/stop.log" 2>&1; then
  echo "Ray stopped"
else
  cat "$ray_dir/stop.log" >&2
  exit 1
fi
