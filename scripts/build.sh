#!/usr/bin/env bash
# Configures and builds NetLoom. Usage: scripts/build.sh [BUILD_DIR] [extra cmake args...]
# Release by default; pass -DNETLOOM_SANITIZE=ON for the ASan+UBSan build.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
shift || true
# A compiler cache, when installed, makes rebuilds after small changes cheap; paths are made
# relative to the checkout so every clone shares it. The build works the same without it.
launcher=()
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR="$root"
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" "$@"
cmake --build "$build" -j "$(nproc)"
