#!/usr/bin/env bash
# Installs ONNX Runtime for the ONNX parity tests: the npm package onnxruntime-node (CPU runtime
# bundled, ~290 MB; about 8 s here) into DIR, once — an existing install of the pinned version
# is reused. --ignore-scripts: its install script would download GPU binaries and fail.
# Exits non-zero with npm's error when the registry is unreachable: the tests then fail loudly.
set -euo pipefail
version=1.30.0
dir="${1:?usage: install_onnxruntime.sh DIR}"
pkg="$dir/node_modules/onnxruntime-node/package.json"
if [[ -f "$pkg" ]] && grep -q "\"version\": \"$version\"" "$pkg"; then
  exit 0
fi
command -v npm >/dev/null || { echo "install_onnxruntime: npm not found (scripts/setup.sh installs it)" >&2; exit 1; }
mkdir -p "$dir"
[[ -f "$dir/package.json" ]] || echo '{"name":"netloom-onnxruntime","private":true}' > "$dir/package.json"
# A lock so two test processes never install into the same folder at once.
exec 9>"$dir/.install.lock"
flock 9
[[ -f "$pkg" ]] && grep -q "\"version\": \"$version\"" "$pkg" && exit 0
npm install --prefix "$dir" --ignore-scripts --no-audit --no-fund --loglevel=error \
  "onnxruntime-node@$version"
