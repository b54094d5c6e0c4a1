# Shared by the load-test scripts: build once, find free ports, start and stop a server.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
slipway_dll="$repo/src/Slipway.Cli/bin/Release/net10.0/slipway.dll"
bench_dll="$repo/bench/Slipway.Bench/bin/Release/net10.0/Slipway.Bench.dll"

build_all() {
  dotnet build "$repo/src/Slipway.Cli" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
  dotnet build "$repo/bench/Slipway.Bench" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_ready URL: polls until the URL answers 200 (30 s at most).
wait_ready() {
  for _ in $(seq 1 3000); do
    if curl -fs -o /dev/null "$1"; then return 0; fi
    sleep 0.01
  done
  echo "server at $1 did not become ready" >&2
  return 1
}

# start_postgres DIR: a throwaway PostgreSQL on a free port; prints its URI.
start_postgres() {
  local dir=$1 port bin
  port=$(free_port)
  bin=$(ls -d /usr/lib/postgresql/*/bin | tail -n 1)
  mkdir -p "$dir"
  echo bench >"$dir/pw"
  chown -R postgres "$dir"
  runuser -u postgres -- "$bin/initdb" -D "$dir/data" -U postgres --auth=scram-sha-256 --pwfile="$dir/pw" >/dev/null
  runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/log" \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=on" start >/dev/null
  echo "postgresql://postgres:bench@127.0.0.1:$port/postgres"
}

stop_postgres() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin | tail -n 1)
  runuser -u postgres -- "$bin/pg_ctl" -D "$1/data" -m immediate stop >/dev/null 2>&1 || true
}

# peak A B: the larger of two numbers; rps LINE: the requests/s of a report.lua line; ratio A B: A / B to 3 places.
peak() { awk -v a="$1" -v b="$2" 'BEGIN { print (b > a) ? b : a }'; }
rps() { sed -n 's/.*rps=\([0-9.]*\).*/\1/p' <<<"$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

# post_load URL SECONDS BODY_FILE PATH: 64 clients posting one JSON body with wrk; prints report.lua's line.
post_load() {
  BODY_FILE="$3" PATH_="$4" CONTENT_TYPE=application/json \
    wrk -t2 -c64 -d"$2" -s "$(dirname "${BASH_SOURCE[0]}")/post-body.lua" "$1" | tail -n 1
}

