#!/usr/bin/env bash
# The accelerator check (scripts/gpu_check.py) on a machine with torch and lightning but no
# installed textgen (the device machine's image): run from the checkout's root.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD/src${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv || true
python3 scripts/gpu_check.py --steps "${STEPS:-50}" --out "${OUT:-/tmp}/gpu_check.json"
