#!/usr/bin/env bash
# wrk against `tars serve` on a SQLite database seeded with 1 M evaluations:
# GET /api/v1/evaluations?agent_id=...&limit=100, uncached (list cache off) and cached.
# Targets on this 2-core machine: uncached p95 <= 10 ms and >= 5 000 req/s; cached >= 30 000.
#
#   bench/api_bench.sh [path/to/tars] [rows]
set -euo pipefail
TARS=${1:-build/tars}
ROWS=${2:-1000000}
PORT=18181
PASSWORD=bench-password-1
dir=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
db="sqlite:///$dir/bench.db"

echo "seeding $ROWS evaluations (100 agents)"
"$TARS" db seed --evaluations "$ROWS" --agents 100 --database "$db"

# Starts the server with the given list-cache TTL and logs the admin in; sets $token.
start_server() {
  TARS_ADMIN_PASSWORD=$PASSWORD "$TARS" serve --database "$db" --listen "127.0.0.1:$PORT" \
    --log-level warn --rate-limit-api-per-minute 0 \
    --redis-cache-ttl-evaluations "$1" 2>"$dir/serve.log" &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
  token=$(curl -sf -X POST "http://127.0.0.1:$PORT/api/v1/auth/login" \
    -d "{\"username\": \"admin\", \"password\": \"$PASSWORD\"}" |
    sed -E 's/.*"access_token":"([^"]+)".*/\1/')
}

stop_server() {
  kill "$server" && wait "$server" 2>/dev/null || true
  server=
}

run_wrk() {
  echo "== $1"
  wrk -t2 -c32 -d10s --latency -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$PORT/api/v1/evaluations?agent_id=synthetic-7&limit=100" |
    grep -E "Requests/sec|50%|90%|99%|Latency "
}

start_server 0
run_wrk "uncached (redis_cache_ttl_evaluations = 0)"
stop_server
start_server 60
run_wrk "cached (redis_cache_ttl_evaluations = 60)"
