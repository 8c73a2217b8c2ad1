#!/usr/bin/env python3
"""Summarises bench/search/measure.sh's searches: best validation accuracy per search, the mean
over strategy seeds, trial time and epochs trained with the median pruner off and on."""
import glob
import json
import os
import statistics
import sys

work = sys.argv[1]
runs = {}
for path in sorted(glob.glob(os.path.join(work, "*.netloom.search.json"))):
    name = os.path.basename(path).replace(".netloom.search.json", "")
    strategy, pruner, seed = name.rsplit("-", 2)
    rec = json.load(open(path))
    trials = rec["trials"]
    finished = [t for t in trials if t["state"] == "finished"]
    best = max(t["curve"][-1] for t in finished)
    runs.setdefault((strategy, pruner), []).append({
        "seed": int(seed), "best": best, "trials": len(trials),
        "pruned": sum(t["state"] == "pruned" for t in trials),
        "failed": sum(t["state"] == "failed" for t in trials),
        "seconds": sum(t["seconds"] for t in trials),
        "cpu": sum(t.get("cpu_seconds", 0) for t in trials),
        # How well the strategy aims: the mean of trials 10-29 (after TPE's random start-up;
        # a pruned trial counts with its last value).
        "late": statistics.mean(t["curve"][-1] for t in trials[10:] if t["curve"]),
        "epochs": sum(len(t["curve"]) for t in trials)})

print("| strategy | pruner | best val. accuracy (seeds 1, 2, 3) | mean | mean of trials 10-29 | pruned | trial wall time (s) | trial CPU time (s) | epochs trained |")
print("|---|---|---|---|---|---|---|---|---|")
for (strategy, pruner), rs in sorted(runs.items()):
    rs.sort(key=lambda r: r["seed"])
    print(f"| {strategy} | {pruner} | {', '.join('%.4f' % r['best'] for r in rs)} | "
          f"{statistics.mean(r['best'] for r in rs):.4f} | "
          f"{statistics.mean(r['late'] for r in rs):.4f} | "
          f"{sum(r['pruned'] for r in rs)}/{sum(r['trials'] for r in rs)} | "
          f"{sum(r['seconds'] for r in rs):.0f} | {sum(r['cpu'] for r in rs):.0f} | "
          f"{sum(r['epochs'] for r in rs)} |")

defaults = []
for seed in (1, 2, 3):
    path = os.path.join(work, f"defaults-{seed}.json")
    if os.path.exists(path) and os.path.getsize(path):
        defaults.append((seed, json.loads(open(path).read().splitlines()[-1])["val_accuracy"]))
if defaults:
    print("\nsample defaults (lr 1e-3, fc1 256 units, dropout 0, weight decay 0), same trial "
          "settings, training seed: " +
          ", ".join(f"{s}: {v:.4f}" for s, v in defaults))

for strategy in ("random", "tpe"):
    off, on = runs.get((strategy, "none")), runs.get((strategy, "median"))
    if off and on:
        t_off, t_on = sum(r["seconds"] for r in off), sum(r["seconds"] for r in on)
        c_off, c_on = sum(r["cpu"] for r in off), sum(r["cpu"] for r in on)
        e_off, e_on = sum(r["epochs"] for r in off), sum(r["epochs"] for r in on)
        cpu = f"{100 * (1 - c_on / c_off):.0f}% of the trial CPU time, " if c_off > 0 else ""
        print(f"{strategy}: median pruner saves {cpu}{100 * (1 - t_on / t_off):.0f}% of the trial wall time "
              f"and {100 * (1 - e_on / e_off):.0f}% of the epochs; mean best "
              f"{statistics.mean(r['best'] for r in off):.4f} off, "
              f"{statistics.mean(r['best'] for r in on):.4f} on")
