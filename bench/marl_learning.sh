#!/usr/bin/env bash
# Orchestrator learning benchmark (issue 6): `tars marl train` on 3 seeds. Each run compares the
# team's mean global reward per step over its last 10% of episodes with its first 10% (the
# untrained team), then evaluates the trained team deterministically (no exploration, no
# learning) on the seeds of the last 10%, and compares both with the documented heuristic team on
# those seeds; so is the best team of the run's validations (held-out seeds, every 10 episodes of
# its second half); every G is z-scored
# against the heuristic team's reward statistics. Prints the JSON lines and a table with means
# and 95% confidence intervals (t distribution, 2 degrees of freedom).
# Usage: bench/marl_learning.sh [TARS_BINARY] [EPISODES] [EPISODE_LENGTH] [extra marl train flags]
set -euo pipefail
tars=${1:-build/tars}
episodes=${2:-1000}
length=${3:-50}
shift 3 2>/dev/null || shift $#
lines=()
printf '%4s %9s %9s %10s %10s %10s %10s %10s %9s\n' seed wall_s steps/s initial final evaluation \
  best@episode heuristic rss_MB >&2
for seed in 0 1 2; do
  line=$("$tars" marl train --episodes "$episodes" --episode-length "$length" --seed "$seed" \
    --progress-every 0 "$@")
  echo "$line"
  lines+=("$line")
  python3 - "$line" <<'PY' >&2
import json, sys
s = json.loads(sys.argv[1])
best = s["best"]
best_text = f"{best['evaluation_global_reward']:.3f}@{best['episode']}" if best else "-"
print(f"{s['seed']:4d} {s['wall_seconds']:9.1f} {s['steps_per_second']:9.0f} "
      f"{s['initial_global_reward']:10.3f} {s['final_global_reward']:10.3f} "
      f"{s['evaluation_global_reward']:10.3f} {best_text:>12s} {s['heuristic_global_reward']:10.3f} "
      f"{s['peak_rss_bytes'] / 1048576:9.1f}")
PY
done
python3 - "${lines[@]}" <<'PY' >&2
import json, statistics, sys
runs = [json.loads(a) for a in sys.argv[1:]]
t = 4.303  # two-sided 95%, 2 degrees of freedom
for r in runs:
    if r["best"]:
        r["best_evaluation_global_reward"] = r["best"]["evaluation_global_reward"]
        r["best_evaluation_returns"] = r["best"]["evaluation_returns"]
keys = ["initial_global_reward", "final_global_reward", "evaluation_global_reward",
        "heuristic_global_reward"]
if all(r["best"] for r in runs):
    keys.insert(3, "best_evaluation_global_reward")
for key in keys:
    values = [r[key] for r in runs]
    half = t * statistics.stdev(values) / len(values) ** 0.5
    print(f"{key:24s} mean {statistics.mean(values):8.3f} ± {half:.3f} (95% CI)")
for key in [k.replace("global_reward", "returns") for k in keys]:
    means = {a: statistics.mean(r[key][a] for r in runs) for a in runs[0][key]}
    print(f"{key:24s} " + ", ".join(f"{a} {v:.1f}" for a, v in sorted(means.items())))
PY
