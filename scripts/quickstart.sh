#!/usr/bin/env bash
# Installs what is missing, builds rootsim (release) and runs the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target rootsim
bash scripts/main-job.sh build/release/cli/rootsim
