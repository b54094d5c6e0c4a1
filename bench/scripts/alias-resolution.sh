#!/usr/bin/env bash
# Alias resolution over HTTP with 10,000 versions across 1,000 models, on SQLite (default) or PostgreSQL
# (`alias-resolution.sh postgresql`). Prints wrk's p50/p95/p99 for /health (baseline) and for alias resolution.
source "$(dirname "$0")/common.sh"
backend=${1:-sqlite}
models=${MODELS:-1000} versions=${VERSIONS:-10} duration=${DURATION:-10s} connections=${CONNECTIONS:-16}
work=$(mktemp -d)
chmod 755 "$work"  # the PostgreSQL variant runs its server as the postgres user
trap 'kill $server 2>/dev/null || true; [ "$backend" = postgresql ] && stop_postgres "$work/pg"; rm -rf "$work"' EXIT

build_all
if [ "$backend" = postgresql ]; then store=$(start_postgres "$work/pg"); else store="sqlite:$work/slipway.db"; fi
dotnet "$bench_dll" seed "$store" "$work/artifacts" "$models" "$versions" >&2

port=$(free_port)
dotnet "$slipway_dll" server --urls "http://127.0.0.1:$port" --store "$store" --artifacts "$work/artifacts" >"$work/server.log" 2>&1 &
server=$!
wait_ready "http://127.0.0.1:$port/health"

echo "backend=$backend models=$models versions=$((models * versions)) wrk -t2 -c$connections -d$duration"
printf 'health (baseline): '
wrk -t2 -c$connections -d"$duration" -s "$(dirname "$0")/health.lua" "http://127.0.0.1:$port/health" | tail -n 1
printf 'alias resolution:  '
MODELS=$models wrk -t2 -c$connections -d"$duration" -s "$(dirname "$0")/alias.lua" "http://127.0.0.1:$port" | tail -n 1
