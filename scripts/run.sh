#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds NetLoom and opens it on a sample project.
# Usage: scripts/run.sh [PROJECT.netloom]   (default: samples/fashion-cnn.netloom)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh" "$root/build"
exec "$root/build/app/netloom" "${1:-$root/samples/fashion-cnn.netloom}"
