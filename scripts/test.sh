#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds NetLoom and runs every Qt Test suite through ctest:
# first the Release build, then the ASan+UBSan build (skip it with NETLOOM_SKIP_SANITIZE=1).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# --bench adds python3-torch: the PyTorch export suites run the exported script (they skip
# without it).
"$root/scripts/setup.sh" --bench

export QT_QPA_PLATFORM=offscreen QTEST_DISABLE_STACK_DUMP=1

echo "== Release build and tests"
"$root/scripts/build.sh" "$root/build"
ctest --test-dir "$root/build" --output-on-failure -j 2

if [[ "${NETLOOM_SKIP_SANITIZE:-0}" != "1" ]]; then
  echo "== ASan+UBSan build and tests"
  "$root/scripts/build.sh" "$root/build-sanitize" -DNETLOOM_SANITIZE=ON
  # oneDNN's JIT and OpenMP runtime keep allocations alive until exit: leaks are not checked.
  ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    NETLOOM_SANITIZED=1 ctest --test-dir "$root/build-sanitize" --output-on-failure -j 2
fi
