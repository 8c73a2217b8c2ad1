#!/usr/bin/env bash
# Training speed of samples/fashion-vit.netloom against the same model in PyTorch
# (bench/vit_peer.py), alternating NetLoom and the peer (A B A B ...) so that both see the same
# machine load, as bench/compare.sh does for the other networks. Each run trains EPOCHS epochs
# (the warm-up switched off, which changes only the learning rate, not the work). Both run under
# /usr/bin/time -v: NetLoom's peak resident memory, and each side's CPU seconds (user + system)
# for the same job (start, read Fashion-MNIST, EPOCHS epochs, test evaluation), which on a
# machine other jobs keep busy measures the work better than wall-clock time, whose share of
# the cores the scheduler decides. Prints every run's line, then the median ratios
# NetLoom/PyTorch of training samples/s (wall clock) and of CPU seconds (PyTorch/NetLoom: > 1
# when NetLoom needs less), and NetLoom's largest peak RSS.
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

# One JSON object from a run's output lines and its /usr/bin/time -v report.
summarize() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import json, re, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
report = open(sys.argv[2]).read()
field = lambda name: float(re.search(re.escape(name) + r": ([0-9.]+)", report).group(1))
cpu = field("User time (seconds)") + field("System time (seconds)")
rss = field("Maximum resident set size (kbytes)") / 1024
epochs = [r for r in rows if r.get("event") == "epoch"]
if epochs:  # NetLoom: epoch lines, then a finished line with the test accuracy
    done = [r for r in rows if r.get("event") == "finished"][-1]
    speed, acc = epochs[-1]["samples_per_s"], done["test_accuracy"]
else:  # the peer: one line per epoch
    speed, acc = rows[-1]["train_samples_per_s"], rows[-1]["test_accuracy"]
print(json.dumps({"train_samples_per_s": speed, "test_accuracy": acc,
                  "cpu_seconds": round(cpu, 1), "peak_rss_mb": round(rss, 1)}))
PY
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= rounds; r++)); do
  /usr/bin/time -v "$netloom" train "$sample" --json --threads "$threads" --epochs "$epochs" \
    --set training.schedule.warmup=0 >"$work/ours.jsonl" 2>"$work/ours.time"
  echo "{\"round\":$r,\"who\":\"ours\",\"result\":$(summarize "$work/ours.jsonl" "$work/ours.time")}" | tee -a "$out"
  /usr/bin/time -v /usr/bin/python3 "$root/bench/vit_peer.py" "$epochs" 0.001 "$threads" 1 4 \
    cosine 0 >"$work/peer.jsonl" 2>"$work/peer.time"
  echo "{\"round\":$r,\"who\":\"peer\",\"result\":$(summarize "$work/peer.jsonl" "$work/peer.time")}" | tee -a "$out"
done
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

/usr/bin/python3 - "$out" "$threads" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
speed, cpu, ours, peer = [], [], [], []
for rnd in sorted({r["round"] for r in rows}):
    got = {r["who"]: r["result"] for r in rows if r["round"] == rnd}
    o, p = got["ours"], got["peer"]
    ours.append(o); peer.append(p)
    speed.append(o["train_samples_per_s"] / p["train_samples_per_s"])
    cpu.append(p["cpu_seconds"] / o["cpu_seconds"])
med = statistics.median
rounds = lambda xs: ", ".join(f"{x:.2f}" for x in xs)
print(f"fashion-vit at {sys.argv[2]} thread(s), {len(speed)} rounds:")
print(f"  training samples/s NetLoom/PyTorch: median {med(speed):.2f} (rounds: {rounds(speed)}); "
      f"NetLoom {med(o['train_samples_per_s'] for o in ours):.0f}, "
      f"PyTorch {med(p['train_samples_per_s'] for p in peer):.0f}")
print(f"  CPU seconds for the same job PyTorch/NetLoom: median {med(cpu):.2f} (rounds: {rounds(cpu)}); "
      f"NetLoom {med(o['cpu_seconds'] for o in ours):.0f} s, "
      f"PyTorch {med(p['cpu_seconds'] for p in peer):.0f} s")
print(f"  peak RSS: NetLoom {max(o['peak_rss_mb'] for o in ours):.0f} MB, "
      f"PyTorch {max(p['peak_rss_mb'] for p in peer):.0f} MB")
PY
