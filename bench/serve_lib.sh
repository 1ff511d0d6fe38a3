# Shared by the server benchmarks: start `tars serve` on a port and log the admin in.
# Source it, then: tars_serve_start TARS PORT DB_URL [extra serve flags...]; it sets $server
# (the pid) and $token (an admin access token). tars_serve_stop ends the server.
TARS_BENCH_PASSWORD=bench-password-1

tars_serve_start() {
  local tars=$1 port=$2 db=$3
  shift 3
  TARS_ADMIN_PASSWORD=$TARS_BENCH_PASSWORD "$tars" serve --database "$db" \
    --listen "127.0.0.1:$port" --log-level warn --rate-limit-api-per-minute 0 "$@" 2>/dev/null &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
  token=$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/auth/login" \
    -d "{\"username\": \"admin\", \"password\": \"$TARS_BENCH_PASSWORD\"}" |
    sed -E 's/.*"access_token":"([^"]+)".*/\1/')
}

tars_serve_stop() {
  if [ -n "${server:-}" ]; then
    kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  fi
  server=
}
