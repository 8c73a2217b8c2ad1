#!/usr/bin/env bash
# Configures and builds NetLoom. Usage: scripts/build.sh [BUILD_DIR] [extra cmake args...]
# Release by default; pass -DNETLOOM_SANITIZE=ON for the ASan+UBSan build.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
shift || true
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build "$build" -j "$(nproc)"
