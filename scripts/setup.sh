#!/usr/bin/env bash
# Installs every Debian package NetLoom needs to build, test and run. Idempotent: when all are
# present it does nothing; otherwise it runs apt-get update first, then installs.
# --bench also installs PyTorch: the peer of bench/compare.sh and what the PyTorch export
# tests run the exported script with (scripts/test.sh passes it).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache
  qt6-base-dev qt6-charts-dev qt6-svg-dev libgl-dev
  libqt6opengl6-dev  # Qt6Charts needs Qt6OpenGL's CMake files; qt6-base-dev 6.4.2+dfsg-10 no longer ships them
  libdnnl-dev ocl-icd-opencl-dev opencl-c-headers
  nlohmann-json3-dev zlib1g-dev
  dataset-fashion-mnist
  wamerican  # /usr/share/dict/words: the text sample's corpus (words-lstm)
  python3-sklearn  # sklearn/datasets/data/wine_data.csv: the tabular sample's data (wine-mlp)
  xvfb xauth fonts-dejavu-core
  libonnx-dev libprotobuf-dev  # ONNX export/import (engine/export)
  python3-onnx                 # tests/data/make_hostile_onnx.py regenerates the hostile fixtures
  nodejs                       # runs ONNX Runtime (npm onnxruntime-node) in the ONNX parity tests
)
# npm installs onnxruntime-node (scripts/install_onnxruntime.sh); a Node.js from elsewhere
# (e.g. NodeSource) brings its own npm, which Debian's npm package would conflict with.
command -v npm >/dev/null 2>&1 || packages+=(npm)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(python3-torch python3-numpy libopenblas0-openmp time)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
[[ $(id -u) -ne 0 ]] && SUDO="sudo"
echo "setup: installing ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
