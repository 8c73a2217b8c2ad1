#!/usr/bin/env bash
# Checks the engine's dependency direction and that oneDNN stays inside the engine.
#
# 1. Each engine/ folder has a level (below). A file may include engine headers of its own
#    folder or of folders on a lower level only, so the folders can never form a cycle.
#    A new folder gets a level here and a line in docs/architecture.md.
# 2. No file outside engine/ includes <dnnl.hpp>; inside engine/ only core/ (the compute
#    context) and the folders that run primitives (layers/) do. ONNX and protobuf headers only
#    in engine/export (layers write ONNX through the format-neutral onnx_export_hook.h).
# 3. engine/ never includes Qt or ui/ headers.
# 4. No code compares a task's name: outside engine/tasks/ (and the project-file reader in
#    engine/io/) code asks the task registry for a trait (taskFor(config).target(), ...).
# Prints every violation with file and line; exits 1 when there is one. Run by ctest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

declare -A level=(
  [core]=0
  [layers]=1 [losses]=1 [data]=1
  [graph]=2 [optim]=2
  [model]=3
  [metrics]=4 [infer]=4
  [project]=5
  [settings]=6
  [train]=7
  [tasks]=8
  [io]=9
  [evaluation]=10 [export]=10 [search]=10
)
dnnl_allowed=(core layers)

bad=0
report() { echo "$1"; bad=1; }

while IFS= read -r file; do
  folder=$(echo "$file" | cut -d/ -f2)
  [[ "$file" == engine/*/* ]] || continue
  if [[ -z "${level[$folder]+x}" ]]; then
    report "$file: folder engine/$folder has no level in scripts/check_layering.sh"
    continue
  fi
  while IFS=: read -r line dep; do
    [[ -z "$dep" ]] && continue
    if [[ -z "${level[$dep]+x}" ]]; then
      report "$file:$line: includes engine/$dep/, a folder with no level"
    elif [[ "$dep" != "$folder" && ${level[$dep]} -ge ${level[$folder]} ]]; then
      report "$file:$line: engine/$folder (level ${level[$folder]}) includes engine/$dep (level ${level[$dep]}): dependencies point down only"
    fi
  done < <(grep -n '^#include "engine/' "$file" | sed -E 's|^([0-9]+):#include "engine/([a-z_]+)/.*|\1:\2|')
  if grep -qn '^#include <dnnl' "$file"; then
    allowed=0
    for f in "${dnnl_allowed[@]}"; do [[ "$folder" == "$f" ]] && allowed=1; done
    ((allowed)) || report "$file: includes oneDNN outside engine/core and engine/layers"
  fi
  if grep -qnE '^#include [<"](onnx|google/protobuf)/' "$file" && [[ "$folder" != export ]]; then
    report "$file: includes ONNX or protobuf outside engine/export"
  fi
  if grep -qnE '^#include [<"](Q[A-Za-z]+|ui/)' "$file"; then
    report "$file: the engine includes Qt or ui/ headers"
  fi
done < <(find engine -name '*.h' -o -name '*.cpp' | sort)

while IFS= read -r hit; do
  report "$hit: includes oneDNN outside engine/ (use engine/core/compute.h)"
done < <(grep -rn '^#include <dnnl' app ui tests bench --include='*.h' --include='*.cpp' || true)

tasks='classification|regression|reconstruction|adversarial'
while IFS= read -r hit; do
  report "$hit: compares a task's name; ask the task registry for a trait (engine/tasks)"
done < <(grep -rnE "(==|!=) *\"($tasks)\"|\"($tasks)\" *(==|!=)|task\(\) *== *\"" \
           engine app ui --include='*.h' --include='*.cpp' | grep -vE '^engine/(tasks|io)/' || true)

if ((bad)); then
  echo "check_layering: FAILED"
  exit 1
fi
echo "check_layering: engine folders layered, oneDNN only inside engine/, no task-name comparisons"
