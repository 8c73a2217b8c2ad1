#!/usr/bin/env bash
# GUI benchmark (not a test): trains samples/fashion-cnn.netloom in the window under Xvfb and
# measures the event loop's latency (a 10 ms timer's lateness: p50, p99, max) and the training
# throughput, against headless `netloom train` on the same project file; runs alternate
# (headless, GUI, headless, GUI, ...) so both see the same machine load.
#
#   bench/gui_latency.sh [--build DIR] [--rounds N] [--epochs N] [--limit-train N] [--threads N]
#
# Defaults: build/ (or $NETLOOM_BUILD_DIR), 2 rounds, 1 epoch of 20000 images, threads as in the
# sample (0 = all cores). Needs xvfb-run (apt-get install xvfb) and Fashion-MNIST.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
build=${NETLOOM_BUILD_DIR:-$here/build}
rounds=2 epochs=1 limit=20000 threads=""
while [ $# -gt 0 ]; do
    case $1 in
        --build) build=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --epochs) epochs=$2; shift 2 ;;
        --limit-train) limit=$2; shift 2 ;;
        --threads) threads=$2; shift 2 ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
netloom=$build/app/netloom
[ -x "$netloom" ] || { echo "no netloom binary at $netloom (build first, or --build DIR)" >&2; exit 1; }
command -v xvfb-run >/dev/null || { echo "xvfb-run is missing: apt-get install xvfb" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
project=$tmp/fashion-cnn-bench.netloom
# The same settings for both sides: one project file.
python3 - "$here/samples/fashion-cnn.netloom" "$project" "$epochs" "$limit" "$threads" <<'PY'
import json, sys
src, dst, epochs, limit, threads = sys.argv[1:6]
p = json.load(open(src))
p["training"]["epochs"] = int(epochs)
p["dataset"]["limit_train"] = int(limit)
p["dataset"]["limit_test"] = 2000
if threads:
    p["training"]["threads"] = int(threads)
json.dump(p, open(dst, "w"), indent=1)
PY

# The GUI keeps its settings and recovery files here, not in the user's home.
export XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/cache
export XDG_RUNTIME_DIR=$tmp/runtime
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

headless() {
    "$netloom" train "$project" --json > "$tmp/headless.jsonl"
    python3 - "$tmp/headless.jsonl" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
ep = [l for l in lines if l.get("event") == "epoch"]
print(f"{ep[-1]['samples_per_s']:.0f} {sum(e['seconds'] for e in ep):.2f}")
PY
}

gui() {
    NETLOOM_GUI_BENCH=$tmp/gui.json xvfb-run -a -s "-screen 0 1600x1000x24" \
        "$netloom" "$project" > "$tmp/gui.log" 2>&1 || { cat "$tmp/gui.log" >&2; return 1; }
    python3 - "$tmp/gui.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
l = r["latency"]
print(f"{r['samples_per_s']:.0f} {r['epoch_seconds']:.2f} {l['p50_ms']:.1f} {l['p99_ms']:.1f} "
      f"{l['max_ms']:.1f} {l['ticks']}")
if l.get("spikes_s_ms"):
    print("  ticks over 50 ms (s since start, ms late):", l["spikes_s_ms"], file=sys.stderr)
PY
}

echo "fashion-cnn, $epochs epoch(s) of $limit images; $(nproc) cores; $rounds rounds"
printf "%-6s %-9s %12s %10s %9s %9s %9s %7s\n" round side "samples/s" "epoch s" "p50 ms" \
    "p99 ms" "max ms" ticks
: > "$tmp/results"
for r in $(seq 1 "$rounds"); do
    read -r hs hsec < <(headless)
    printf "%-6s %-9s %12s %10s\n" "$r" headless "$hs" "$hsec"
    read -r gs gsec p50 p99 pmax ticks < <(gui)
    printf "%-6s %-9s %12s %10s %9s %9s %9s %7s\n" "$r" gui "$gs" "$gsec" "$p50" "$p99" "$pmax" "$ticks"
    echo "$hs $gs $p99" >> "$tmp/results"
done
python3 - "$tmp/results" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1])]
h = statistics.median(r[0] for r in rows)
g = statistics.median(r[1] for r in rows)
p99 = max(r[2] for r in rows)
print(f"median: headless {h:.0f} samples/s, GUI {g:.0f} samples/s -> GUI/headless {g / h:.2f}x "
      f"(target >= 0.90); worst p99 latency {p99:.1f} ms (target <= 50)")
PY
