#!/usr/bin/env bash
# Learning benchmark (issue 3): `tars train` with the zoo preset, 3 seeds per case, one process
# per run so peak RSS is the run's own. Prints one JSON summary line per run and a table.
# Usage: bench/learning.sh [TARS_BINARY] [CASE...]   cases: ppo-cartpole a2c-cartpole dqn-cartpole
#        td3-pendulum ddpg-pendulum ppo-lunarlander (default: all but ppo-lunarlander)
set -euo pipefail
tars=${1:-build/tars}
shift || true
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(ppo-cartpole a2c-cartpole dqn-cartpole td3-pendulum ddpg-pendulum)

# case -> "algo env steps target description"
declare -A spec=(
  [ppo-cartpole]="ppo CartPole-v1 100000 475 all seeds >= 475; SB3 2.4: 36-43 s, 311 MB; target <= 3 s"
  [a2c-cartpole]="a2c CartPole-v1 500000 475 report times"
  [dqn-cartpole]="dqn CartPole-v1 50000 475 >= 475 on 2 of 3 seeds; SB3: 71-80 s; target <= 15 s"
  [td3-pendulum]="td3 Pendulum-v1 20000 -250 mean >= -250"
  [ddpg-pendulum]="ddpg Pendulum-v1 20000 -250 mean >= -250"
  [ppo-lunarlander]="ppo LunarLander-v3 1000000 200 >= 200"
)

printf '%-16s %4s %9s %10s %9s %12s\n' case seed wall_s steps/s rss_MB eval_return >&2
for name in "${cases[@]}"; do
  [ -n "${spec[$name]:-}" ] || { echo "unknown case '$name'" >&2; exit 2; }
  read -r algo env steps target note <<<"${spec[$name]}"
  for seed in 0 1 2; do
    line=$("$tars" train --algo "$algo" --env "$env" --preset zoo --steps "$steps" --seed "$seed" \
      --eval-episodes 20 2>/dev/null) || { echo "$name seed $seed failed" >&2; exit 1; }
    echo "$line"
    wall=$(grep -o '"wall_seconds":[0-9.e+-]*' <<<"$line" | cut -d: -f2)
    sps=$(grep -o '"steps_per_second":[0-9.e+-]*' <<<"$line" | cut -d: -f2)
    rss=$(grep -o '"peak_rss_bytes":[0-9]*' <<<"$line" | cut -d: -f2)
    ret=$(grep -o '"eval_mean_return":[0-9.e+-]*' <<<"$line" | cut -d: -f2)
    printf '%-16s %4s %9.2f %10.0f %9.1f %12.1f\n' "$name" "$seed" "$wall" "$sps" \
      "$(awk "BEGIN{print $rss/1048576}")" "$ret" >&2
  done
  echo "  target: eval >= $target ($note)" >&2
done
