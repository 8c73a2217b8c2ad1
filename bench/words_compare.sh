#!/usr/bin/env bash
# words-gpt (causal character Transformer) against words-lstm at an equal training-time budget.
# Both samples train at the same time, each with one thread (`netloom train --threads 1 --json`),
# so they see the same machine load; each run's CPU time (user + system, from /proc) is read at
# every epoch end, and a run is stopped once its next epoch would pass the budget. Printed: per
# epoch the CPU and wall seconds, validation loss (nats per character) and perplexity; then, at
# the budget, the validation loss each reached (its last epoch that ended within the budget).
# CPU time rather than wall time is the budget because other jobs share this machine: wall time
# depends on them, CPU time on the work done.
# Usage: bench/words_compare.sh [BUDGET_CPU_SECONDS=360] [MAX_EPOCHS=20] [SEED=1]
# MODELS (environment) lists other project files to race (default: samples/words-lstm.netloom
# samples/words-gpt.netloom), e.g. MODELS=bench/words_gpt_wide.netloom for the wider GPT.
# Needs a Release build in build/ (scripts/build.sh) and /usr/share/dict/words (wamerican).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
budget="${1:-360}"
max_epochs="${2:-20}"
seed="${3:-1}"
netloom="${NETLOOM_BUILD_DIR:-$root/build}/app/netloom"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "budget: $budget CPU seconds per model, --threads 1, seed $seed"

models="${MODELS:-$root/samples/words-lstm.netloom $root/samples/words-gpt.netloom}"

/usr/bin/python3 - "$netloom" "$budget" "$max_epochs" "$seed" $models <<'PY'
import json, math, os, selectors, subprocess, sys, time
netloom, budget, max_epochs, seed = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
files = sys.argv[5:]
tick = os.sysconf("SC_CLK_TCK")

def cpu_seconds(pid):  # user + system time of the process (all its threads)
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick

runs = {}
sel = selectors.DefaultSelector()
for path in files:
    name = os.path.basename(path).removesuffix(".netloom")
    p = subprocess.Popen([netloom, "train", path, "--threads", "1",
                          "--json", "--epochs", max_epochs, "--set", f"seed={seed}"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
    runs[name] = {"proc": p, "start": time.time(), "epochs": [], "stopped": False}
    sel.register(p.stdout, selectors.EVENT_READ, name)

open_runs = len(runs)
while open_runs:
    for key, _ in sel.select():
        name = key.data
        r = runs[name]
        line = key.fileobj.readline()
        if not line:
            sel.unregister(key.fileobj)
            open_runs -= 1
            continue
        try:
            ev = json.loads(line)
        except json.JSONDecodeError:
            continue
        if ev.get("event") != "epoch" or r["stopped"]:
            continue
        cpu = cpu_seconds(r["proc"].pid)
        e = {"epoch": ev["epoch"], "cpu": cpu, "wall": time.time() - r["start"],
             "train_loss": ev["train_loss"], "val_loss": ev["val_loss"], "val_ppl": ev["metrics"]["val_perplexity"],
             "unigram_ppl": ev["metrics"]["unigram_perplexity"]}
        r["epochs"].append(e)
        print(json.dumps({"model": name, **e}), flush=True)
        last = cpu - (r["epochs"][-2]["cpu"] if len(r["epochs"]) > 1 else 0)
        if cpu + last > budget:  # the next epoch would end past the budget
            r["stopped"] = True
            r["proc"].terminate()
for r in runs.values():
    r["proc"].wait()

print()
print("| model | epoch | CPU s | wall s | train loss | val loss (nats/char) | val perplexity |")
print("|---|---|---|---|---|---|---|")
for name, r in runs.items():
    for e in r["epochs"]:
        print(f"| {name} | {e['epoch']} | {e['cpu']:.0f} | {e['wall']:.0f} | {e['train_loss']:.4f} | {e['val_loss']:.4f} | {e['val_ppl']:.3f} |")
print()
unigram = next((e["unigram_ppl"] for r in runs.values() for e in r["epochs"]), float("nan"))
print(f"at the budget of {budget:.0f} CPU s (last epoch ended within it); unigram baseline "
      f"perplexity {unigram:.3f} ({math.log(unigram):.4f} nats):")
best = {}
for name, r in runs.items():
    within = [e for e in r["epochs"] if e["cpu"] <= budget]
    if not within:
        print(f"  {name}: no epoch ended within the budget"); continue
    e = within[-1]
    best[name] = e["val_loss"]
    print(f"  {name}: epoch {e['epoch']} at {e['cpu']:.0f} CPU s: val loss {e['val_loss']:.4f} "
          f"nats/char, perplexity {e['val_ppl']:.3f}")
if len(best) >= 2:
    ranked = sorted(best, key=best.get)
    print(f"  lowest validation loss: {ranked[0]} (by {best[ranked[1]] - best[ranked[0]]:.4f} nats/char over {ranked[1]})")
PY
