#!/usr/bin/env bash
# Starts `tars serve` (pings every 5 s so heartbeats happen during the run) and runs
# build/bench/ws_load against it with 10 000 connections.
#
#   bench/ws_load.sh [path/to/tars] [connections]
set -euo pipefail
TARS=${1:-build/tars}
CONNECTIONS=${2:-10000}
LOAD=$(dirname "$TARS")/bench/ws_load
PORT=18182
PASSWORD=bench-password-1
dir=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

TARS_ADMIN_PASSWORD=$PASSWORD "$TARS" serve --database "sqlite:///$dir/ws.db" \
  --listen "127.0.0.1:$PORT" --log-level warn --websocket-ping-interval 5 \
  --rate-limit-api-per-minute 0 2>"$dir/serve.log" &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
token=$(curl -sf -X POST "http://127.0.0.1:$PORT/api/v1/auth/login" \
  -d "{\"username\": \"admin\", \"password\": \"$PASSWORD\"}" |
  sed -E 's/.*"access_token":"([^"]+)".*/\1/')
"$LOAD" --port "$PORT" --token "$token" --server-pid "$server" --connections "$CONNECTIONS" \
  --hold 20
