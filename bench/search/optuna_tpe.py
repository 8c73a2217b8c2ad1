#!/usr/bin/env python3
"""Optuna's own TPE (python3-optuna 3.1, TPESampler defaults, no pruner) on the space of
bench/search/fashion-mlp-space.json: each trial writes the project with the trial's values and
trains it with `netloom train` under the space's fixed settings. Writes PROJECT.search.json in
the layout of netloom's search files (the trials' values, validation-accuracy curves, seconds),
so that summarize.py reads it beside netloom's searches.
Usage: optuna_tpe.py NETLOOM PROJECT SPACE SEED TRIALS"""
import json
import resource
import subprocess
import sys
import time

import optuna

netloom, project_path, space_path, seed, n_trials = sys.argv[1:6]
space = json.load(open(space_path))
base = json.load(open(project_path))
fixed = space["fixed"]
trials = []


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def objective(trial):
    values = {}
    for p in space["parameters"]:
        name = p.get("setting") or f'{p["node"]}.{p["param"]}'
        suggest = trial.suggest_int if p["type"] == "int" else trial.suggest_float
        values[name] = suggest(name, p["low"], p["high"], log=p.get("log", False))
    project = json.loads(json.dumps(base))
    for p, v in zip(space["parameters"], values.values()):
        if "setting" in p:  # optimizer.lr, optimizer.weight_decay
            project["training"]["optimizer"][p["setting"].split(".")[1]] = v
        else:
            next(n for n in project["networks"][0]["nodes"] if n["name"] == p["node"])[
                "params"][p["param"]] = v
    path = project_path + ".optuna-trial.netloom"
    json.dump(project, open(path, "w"), indent=1)
    t0, c0 = time.time(), children_cpu()
    out = subprocess.run(
        [netloom, "train", path, "--epochs", str(fixed["epochs"]),
         "--limit-train", str(fixed["dataset.limit_train"]),
         "--set", f'validation_split={fixed["validation_split"]}',
         "--limit-test", str(fixed["dataset.limit_test"]), "--threads", str(fixed["threads"]),
         "--json"], capture_output=True, text=True, check=True).stdout
    curve = [json.loads(line)["val_accuracy"] for line in out.splitlines()
             if line.startswith("{") and '"event":"epoch"' in line]
    trials.append({"number": trial.number, "state": "finished", "values": values,
                   "curve": curve, "seconds": time.time() - t0,
                   "cpu_seconds": children_cpu() - c0})
    print(f"trial {trial.number}: {values} -> {curve[-1]:.4f}", flush=True)
    return curve[-1]


optuna.logging.set_verbosity(optuna.logging.WARNING)
study = optuna.create_study(direction="maximize",
                            sampler=optuna.samplers.TPESampler(seed=int(seed)))
study.optimize(objective, n_trials=int(n_trials))
json.dump({"strategy": "optuna-tpe", "seed": int(seed), "trials": trials},
          open(project_path + ".search.json", "w"), indent=1)
print(f"best {study.best_value:.4f} with {study.best_params}")
