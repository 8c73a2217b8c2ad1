#!/usr/bin/env bash
# Training speed of samples/fashion-vit.netloom against the same model in PyTorch
# (bench/vit_peer.py), alternating NetLoom and the peer (A B A B ...) so that both see the same
# machine load, as bench/compare.sh does for the other networks. Each run trains EPOCHS epochs
# (the warm-up switched off, which changes only the learning rate, not the work); NetLoom runs
# under /usr/bin/time -v for its peak resident memory. Prints every run's line, then the median
# ratio NetLoom/PyTorch of training samples/s and NetLoom's largest peak RSS.
# Usage: bench/vit_compare.sh [ROUNDS=3] [THREADS=1] [EPOCHS=1]
# Needs a Release build in build/ (scripts/build.sh) and /usr/bin/python3 with torch.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-3}"
threads="${2:-1}"
epochs="${3:-1}"
netloom="${NETLOOM_BUILD_DIR:-$root/build}/app/netloom"
sample="$root/samples/fashion-vit.netloom"
work="$(mktemp -d)"
out="$work/results.jsonl"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= rounds; r++)); do
  # NetLoom: the last epoch line's samples/s, the finished line's test accuracy, max RSS.
  /usr/bin/time -v "$netloom" train "$sample" --json --threads "$threads" --epochs "$epochs" \
    --set training.schedule.warmup=0 >"$work/ours.jsonl" 2>"$work/ours.time"
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/ours.time")
  line=$(/usr/bin/python3 - "$work/ours.jsonl" "$rss_kb" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
epochs = [r for r in rows if r.get("event") == "epoch"]
done = [r for r in rows if r.get("event") == "finished"][-1]
print(json.dumps({"train_samples_per_s": epochs[-1]["samples_per_s"],
                  "test_accuracy": done["test_accuracy"],
                  "peak_rss_mb": round(int(sys.argv[2]) / 1024, 1)}))
PY
)
  echo "{\"round\":$r,\"who\":\"ours\",\"result\":$line}" | tee -a "$out"
  line=$(/usr/bin/python3 "$root/bench/vit_peer.py" "$epochs" 0.001 "$threads" 1 4 cosine 0 | tail -1)
  echo "{\"round\":$r,\"who\":\"peer\",\"result\":$line}" | tee -a "$out"
done

/usr/bin/python3 - "$out" "$threads" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
ratios, ours, peer = [], [], []
for rnd in sorted({r["round"] for r in rows}):
    got = {r["who"]: r["result"] for r in rows if r["round"] == rnd}
    ours.append(got["ours"]["train_samples_per_s"]); peer.append(got["peer"]["train_samples_per_s"])
    ratios.append(ours[-1] / peer[-1])
print(f"fashion-vit at {sys.argv[2]} thread(s): median ratio NetLoom/PyTorch "
      f"{statistics.median(ratios):.2f} (rounds: {', '.join(f'{x:.2f}' for x in ratios)}); "
      f"NetLoom {statistics.median(ours):.0f} samples/s, PyTorch {statistics.median(peer):.0f} "
      f"samples/s; NetLoom peak RSS "
      f"{max(r['result']['peak_rss_mb'] for r in rows if r['who'] == 'ours'):.0f} MB")
PY
