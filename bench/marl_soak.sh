#!/usr/bin/env bash
# Orchestrator memory soak (issue 6): STEPS orchestrator steps with learning on, sampling the
# resident set size from the progress lines. Reports RSS after warm-up (the first 10% of the
# steps), the growth after it, and the peak. Targets: growth < 1 MiB, whole process < 100 MiB.
# Without validation: it measures the orchestrator, not the best team's copies.
# Usage: bench/marl_soak.sh [TARS_BINARY] [STEPS] [EPISODE_LENGTH]
set -euo pipefail
tars=${1:-build/tars}
steps=${2:-1000000}
length=${3:-200}
episodes=$(( (steps + length - 1) / length ))
every=$(( episodes / 50 > 0 ? episodes / 50 : 1 ))
log=$(mktemp)
trap 'rm -f "$log"' EXIT
summary=$("$tars" marl train --episodes "$episodes" --episode-length "$length" --seed 0 \
  --progress-every "$every" --validation-every 0 2>"$log")
echo "$summary"
python3 - "$log" "$summary" <<'PY'
import json, sys
samples = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
summary = json.loads(sys.argv[2])
total = summary["steps"]
warm = [s for s in samples if s["steps"] >= total * 0.1]
base = warm[0]["rss_bytes"]
growth = max(s["rss_bytes"] for s in warm) - base
mib = 1 << 20
print(f"steps {total}, {summary['steps_per_second']:.0f} steps/s, {len(samples)} RSS samples")
print(f"RSS after warm-up {base / mib:.1f} MiB, growth after it {growth / mib:.3f} MiB "
      f"(target < 1 MiB), peak {summary['peak_rss_bytes'] / mib:.1f} MiB (target < 100 MiB)")
PY
