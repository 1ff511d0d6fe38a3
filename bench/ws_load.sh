#!/usr/bin/env bash
# Starts `tars serve` (pings every 5 s so heartbeats happen during the run) and runs
# build/bench/ws_load against it with 10 000 connections.
#
#   bench/ws_load.sh [path/to/tars] [connections]
set -euo pipefail
source "$(dirname "$0")/serve_lib.sh"
TARS=${1:-build/tars}
CONNECTIONS=${2:-10000}
PORT=18182
dir=$(mktemp -d)
trap 'tars_serve_stop; rm -rf "$dir"' EXIT
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

tars_serve_start "$TARS" "$PORT" "sqlite:///$dir/ws.db" --websocket-ping-interval 5 \
  --orchestration off
"$(dirname "$TARS")/bench/ws_load" --port "$PORT" --token "$token" --server-pid "$server" \
  --connections "$CONNECTIONS" --hold 20
