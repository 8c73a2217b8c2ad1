#!/usr/bin/env bash
# The search measurement of docs/search.md and docs/performance.md: random vs TPE search over
# fashion-mlp (learning rate 1e-5..1, fc1 width 8..1024, dropout 0..0.8, weight decay
# 1e-6..0.1), 30 trials each, seeds 1-3, each with the median pruner off and on; then the
# sample's defaults trained under the same trial budget (the space's "fixed": 3 epochs on the
# first 16,000 training images, 6,000 of them held out for validation, 1 thread). Seed s is both
# the strategy's seed and the training seed of every trial (the project copy's "seed"), and the
# defaults are trained with the same seed. Searches of one seed run one after another, so that
# a change of machine load falls on every variant alike. With python3-optuna installed, RUNS may
# include optuna-none: Optuna's own TPE on the same space (bench/search/optuna_tpe.py).
# Usage: [RUNS="tpe-none tpe-median"] [SEEDS="1 2 3"] [SPACE=FILE] bench/search/measure.sh
#        [BUILD_DIR] [WORK_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
netloom="$(cd "${1:-$root/build}" && pwd)/app/netloom"
work="${2:-$(mktemp -d)}"
mkdir -p "$work"
# SPACE picks another space file of the same project (e.g. one with longer trials).
space="${SPACE:-$root/bench/search/fashion-mlp-space.json}"
# The space's fixed trial settings, for training the defaults under the same budget.
read -r epochs limit_train split limit_test < <(python3 -c "import json, sys
f = json.load(open(sys.argv[1]))['fixed']
print(f['epochs'], f['dataset.limit_train'], f['validation_split'], f['dataset.limit_test'])" "$space")
# Debian's python3, where python3-optuna installs (a pyenv python3 earlier on PATH lacks it).
optuna_python="${OPTUNA_PYTHON:-/usr/bin/python3}"
# A copy of the bench project whose training seed is $1.
seeded_project() {
  python3 - "$root/bench/search/fashion-mlp-dropout.netloom" "$2" "$1" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p["training"]["seed"] = int(sys.argv[3])
json.dump(p, open(sys.argv[2], "w"), indent=1)
PY
}
for seed in ${SEEDS:-1 2 3}; do
  for run in ${RUNS:-random-none random-median tpe-none tpe-median}; do
    strategy=${run%-*} pruner=${run#*-}
    project="$work/$strategy-$pruner-$seed.netloom"
    seeded_project "$seed" "$project"
    rm -f "$project.search.json"
    start=$(date +%s.%N)
    if [ "$strategy" = optuna ]; then
      nice -n 10 "$optuna_python" "$root/bench/search/optuna_tpe.py" "$netloom" "$project" "$space" \
        "$seed" 30 > "$project.log"
    else
      nice -n 10 "$netloom" search "$project" --space "$space" --strategy "$strategy" \
        --pruner "$pruner" --seed "$seed" --trials 30 > "$project.log"
    fi
    echo "$run seed $seed: $(tail -1 "$project.log") ($(python3 -c "import time; print(round(time.time() - $start))") s)"
  done
  seeded_project "$seed" "$work/defaults-$seed.netloom"
  nice -n 10 "$netloom" train "$work/defaults-$seed.netloom" --epochs "$epochs" \
    --limit-train "$limit_train" --set validation_split="$split" --limit-test "$limit_test" \
    --threads 1 --json | grep "\"epoch\":$epochs," > "$work/defaults-$seed.json" || true
done
python3 "$root/bench/search/summarize.py" "$work"
