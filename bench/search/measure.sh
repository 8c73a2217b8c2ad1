#!/usr/bin/env bash
# The search measurement of docs/performance.md: random vs TPE search over fashion-mlp (lr,
# width of fc1, dropout rate, weight decay), 30 trials each, strategy seeds 1-3, short trials
# (the space's "fixed": 3 epochs on the first 8,000 training images, 25% of them held out for
# validation, 1 thread), each with the median pruner off and on; then the sample's defaults
# trained with the same trial settings. Prints one line per search and a summary.
# Usage: [RUNS="tpe-none tpe-median"] bench/search/measure.sh [BUILD_DIR] [WORK_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
netloom="${1:-$root/build}/app/netloom"
work="${2:-$(mktemp -d)}"
mkdir -p "$work"
# RUNS picks strategy-pruner pairs, e.g. RUNS="tpe-none tpe-median".
for run in ${RUNS:-random-none tpe-none tpe-median random-median}; do
  strategy=${run%-*} pruner=${run#*-}
  for seed in 1 2 3; do
    project="$work/$strategy-$pruner-$seed.netloom"
    cp "$root/bench/search/fashion-mlp-dropout.netloom" "$project"
    rm -f "$project.search.json"
    nice -n 10 "$netloom" search "$project" --space "$root/bench/search/fashion-mlp-space.json" \
      --strategy "$strategy" --pruner "$pruner" --seed "$seed" --trials 30 > "$project.log"
    tail -1 "$project.log"
  done
done
for seed in 1 2 3; do
  nice -n 10 "$netloom" train "$root/bench/search/fashion-mlp-dropout.netloom" --epochs 3 \
    --limit-train 8000 --set validation_split=0.25 --limit-test 1000 --threads 1 \
    --seed "$seed" --json | grep '"epoch":3,' > "$work/defaults-$seed.json" || true
done
python3 "$root/bench/search/summarize.py" "$work"
