#!/usr/bin/env python3
"""Summarises bench/search/measure.sh's searches: the best validation accuracy of each search per
seed and the mean over seeds, against the sample's defaults trained under the same budget and
seed; the mean of trials 10-29 (how well a strategy aims once TPE's random start-up is over);
trial wall and CPU time and epochs trained with the median pruner off and on."""
import glob
import json
import math
import os
import statistics
import sys

work = sys.argv[1]
runs = {}
for path in sorted(glob.glob(os.path.join(work, "*.netloom.search.json"))):
    name = os.path.basename(path).replace(".netloom.search.json", "")
    strategy, pruner, seed = name.rsplit("-", 2)
    trials = json.load(open(path))["trials"]
    finished = [t for t in trials if t["state"] == "finished"]
    runs.setdefault((strategy, pruner), {})[int(seed)] = {
        "best": max(t["curve"][-1] for t in finished), "trials": len(trials),
        "pruned": sum(t["state"] == "pruned" for t in trials),
        "failed": sum(t["state"] == "failed" for t in trials),
        "seconds": sum(t["seconds"] for t in trials),
        "cpu": sum(t.get("cpu_seconds", 0) for t in trials),
        # A pruned trial counts with its last value.
        "late": statistics.mean([t["curve"][-1] for t in trials[10:] if t["curve"]] or [math.nan]),
        "epochs": sum(len(t["curve"]) for t in trials)}

defaults = {}
for path in glob.glob(os.path.join(work, "defaults-*.json")):
    seed = int(os.path.basename(path)[len("defaults-"):-len(".json")])
    if os.path.getsize(path):
        defaults[seed] = json.loads(open(path).read().splitlines()[-1])["val_accuracy"]
seeds = sorted({s for r in runs.values() for s in r} | set(defaults))


def cells(values):
    return " | ".join("%.4f" % values[s] if s in values else "–" for s in seeds)


mean = lambda xs: statistics.mean(xs) if xs else float("nan")
print("| search | pruner | " + " | ".join(f"best, seed {s}" for s in seeds) +
      " | mean best | mean of trials 10-29 | pruned | trial wall time (s) | trial CPU time (s) | "
      "epochs trained |")
print("|---|---|" + "---|" * len(seeds) + "---|---|---|---|---|---|")
for (strategy, pruner), rs in sorted(runs.items()):
    best = {s: r["best"] for s, r in rs.items()}
    print(f"| {strategy} | {pruner} | {cells(best)} | {mean(list(best.values())):.4f} | "
          f"{mean([r['late'] for r in rs.values()]):.4f} | "
          f"{sum(r['pruned'] for r in rs.values())}/{sum(r['trials'] for r in rs.values())} | "
          f"{sum(r['seconds'] for r in rs.values()):.0f} | "
          f"{sum(r['cpu'] for r in rs.values()):.0f} | {sum(r['epochs'] for r in rs.values())} |")
if defaults:
    print(f"| sample's defaults (lr 1e-3, 256 units, dropout 0, weight decay 0) | – | "
          f"{cells(defaults)} | {mean(list(defaults.values())):.4f} | | | | | |")

print()
for a, b in ((("tpe", "none"), ("random", "none")), (("tpe", "median"), ("random", "median")),
             (("optuna", "none"), ("random", "none")), (("tpe", "none"), ("optuna", "none"))):
    if a in runs and b in runs:
        common = sorted(set(runs[a]) & set(runs[b]))
        diffs = [runs[a][s]["best"] - runs[b][s]["best"] for s in common]
        print(f"{a[0]} − {b[0]} (pruner {a[1]}/{b[1]}), best per seed: " +
              ", ".join(f"{d:+.4f}" for d in diffs) + f"; mean {mean(diffs):+.4f}")
for key, rs in sorted(runs.items()):
    common = sorted(set(rs) & set(defaults))
    if common:
        diffs = [rs[s]["best"] - defaults[s] for s in common]
        print(f"{key[0]}-{key[1]} − defaults, per seed: " + ", ".join(f"{d:+.4f}" for d in diffs) +
              f"; mean {mean(diffs):+.4f}")
for strategy in ("random", "tpe"):
    off, on = runs.get((strategy, "none")), runs.get((strategy, "median"))
    if off and on:
        common = sorted(set(off) & set(on))
        t_off, t_on = (sum(x[s]["seconds"] for s in common) for x in (off, on))
        c_off, c_on = (sum(x[s]["cpu"] for s in common) for x in (off, on))
        e_off, e_on = (sum(x[s]["epochs"] for s in common) for x in (off, on))
        print(f"{strategy}: the median pruner saves {100 * (1 - t_on / t_off):.0f}% of the trial "
              f"wall time, {100 * (1 - c_on / c_off):.0f}% of the trial CPU time and "
              f"{100 * (1 - e_on / e_off):.0f}% of the epochs; best per seed off/on: " +
              ", ".join(f"{off[s]['best']:.4f}/{on[s]['best']:.4f}" for s in common))
