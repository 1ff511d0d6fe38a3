#!/usr/bin/env bash
# wrk against `tars serve` on a SQLite database seeded with 1 M evaluations:
# GET /api/v1/evaluations?agent_id=...&limit=100, uncached (list cache off) and cached, the
# cached one also as a client accepting gzip would ask for it.
# Targets on this 2-core machine: uncached p95 <= 10 ms and >= 5 000 req/s; cached >= 30 000.
# (wrk prints p50 / p75 / p90 / p99; p95 lies between the last two.) wrk runs on the same two
# cores as the server.
#
#   bench/api_bench.sh [path/to/tars] [rows]
set -euo pipefail
source "$(dirname "$0")/serve_lib.sh"
TARS=${1:-build/tars}
ROWS=${2:-1000000}
PORT=18181
dir=$(mktemp -d)
trap 'tars_serve_stop; rm -rf "$dir"' EXIT
db="sqlite:///$dir/bench.db"

echo "seeding $ROWS evaluations (100 agents)"
"$TARS" db seed --evaluations "$ROWS" --agents 100 --database "$db"

# CPU seconds (user + system) a process has used so far.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"; }

# Also prints the CPU time server and wrk spend per request: with both on the same two cores,
# their sum bounds the requests per second.
run_wrk() {
  echo "== $1"
  shift
  local before after requests TIMEFORMAT='%U %S'
  before=$(cpu_seconds "$server")
  { time wrk -t2 -c32 -d10s --latency -H "Authorization: Bearer $token" "$@" \
    "http://127.0.0.1:$PORT/api/v1/evaluations?agent_id=synthetic-7&limit=100" \
    >"$dir/wrk_out"; } 2>"$dir/wrk_cpu"
  after=$(cpu_seconds "$server")
  grep -E "Requests/sec|50%|90%|99%|Latency " "$dir/wrk_out"
  requests=$(awk '/requests in/ {print $1}' "$dir/wrk_out")
  awk -v server="$after - $before" -v n="$requests" \
    'BEGIN {split(server, s, " - ")} {printf "  CPU per request: server %.1f us, wrk %.1f us\n",
      (s[1] - s[2]) / n * 1e6, ($1 + $2) / n * 1e6}' "$dir/wrk_cpu"
}

tars_serve_start "$TARS" "$PORT" "$db" --redis-cache-ttl-evaluations 0 --orchestration off
run_wrk "uncached (redis_cache_ttl_evaluations = 0)"
tars_serve_stop
tars_serve_start "$TARS" "$PORT" "$db" --redis-cache-ttl-evaluations 60 --orchestration off
run_wrk "cached (redis_cache_ttl_evaluations = 60)"
run_wrk "cached, Accept-Encoding: gzip (16 KB instead of 84 KB)" -H "Accept-Encoding: gzip"
