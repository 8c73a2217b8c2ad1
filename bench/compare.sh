#!/usr/bin/env bash
# Runs NetLoom's benchmark and the PyTorch peer alternately (A B A B ...) and prints, per
# network, the median ratio ours/peer of training samples/s, plus test metrics and peak memory.
# The peer runs at 1 and 2 threads each round; the ratio is against its better one.
# Usage: bench/compare.sh [ROUNDS=3] [NETS="mlp cnn ae"] [EPOCHS=] (EPOCHS empty: the defaults;
# NETS may also name lstm and gru, the sequential Fashion-MNIST samples, 1 epoch by default;
# NETS may include gan, compared in iterations/s)
# THREADS=N (environment) runs both sides at N threads only (ours --threads N, the peer at N):
# on a machine other jobs keep busy, 2-thread OpenMP teams stall at every barrier (see
# docs/performance.md), and the recurrent networks, with a barrier per time step, suffer most.
# Needs: scripts/setup.sh --bench, and a Release build in build/ (scripts/build.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-3}"
nets="${2:-mlp cnn ae}"
epochs="${3:-}"
netloom="${NETLOOM_BUILD_DIR:-$root/build}/app/netloom"
peer="$root/bench/peer_pytorch.py"
out="$(mktemp -d)/results.jsonl"
ep_args=(); [[ -n "$epochs" ]] && ep_args=(--epochs "$epochs")
peer_threads="1 2"; ours_args=()
if [[ -n "${THREADS:-}" ]]; then peer_threads="$THREADS"; ours_args=(--threads "$THREADS"); fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for net in $nets; do
  for ((r = 1; r <= rounds; r++)); do
    for who in ours $(printf "peer%s " $peer_threads); do
      case $who in
        ours)  line=$("$netloom" bench "$net" --json "${ep_args[@]}" "${ours_args[@]}") ;;
        peer*) line=$(/usr/bin/python3 "$peer" "$net" "${who#peer}" $epochs) ;;
      esac
      echo "{\"net\":\"$net\",\"round\":$r,\"who\":\"$who\",\"result\":$line}" | tee -a "$out"
    done
  done
done

/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def speed(x):  # samples/s for the classifiers and the autoencoder, iterations/s for the GAN
    return x.get("train_samples_per_s", x.get("steps_per_s", 0))
for net in dict.fromkeys(r["net"] for r in rows):
    ratios, ours, peers = [], [], []
    for rnd in sorted({r["round"] for r in rows if r["net"] == net}):
        got = {r["who"]: r["result"] for r in rows if r["net"] == net and r["round"] == rnd}
        best_peer = max((v for k, v in got.items() if k.startswith("peer")), key=speed)
        ratios.append(speed(got["ours"]) / speed(best_peer))
        ours.append(got["ours"]); peers.append(best_peer)
    unit = "samples/s" if "train_samples_per_s" in ours[0] else "iterations/s"
    metric = next((k for k in ("test_accuracy", "test_mse") if k in ours[0] and k in peers[0]), None)
    quality = (f"{metric} ours {statistics.median(o[metric] for o in ours)} "
               f"peer {statistics.median(p[metric] for p in peers)}; ") if metric else ""
    print(f"{net}: median ratio ours/peer {statistics.median(ratios):.2f} "
          f"(rounds: {', '.join(f'{x:.2f}' for x in ratios)}); "
          f"ours {statistics.median(speed(o) for o in ours):.0f} {unit}, "
          f"peer {statistics.median(speed(p) for p in peers):.0f} {unit}; "
          f"{quality}ours peak {max(o.get('peak_rss_mb', 0) for o in ours):.0f} MB")
PY
