#!/usr/bin/env bash
# Tracking API load tests on SQLite (default) or PostgreSQL (`tracking.sh postgresql`): seeds RUNS runs with 20
# metrics and 20 params each plus a 100,000-point metric history, starts `slipway server`, and prints wrk's report for
# /health (the baseline of the same server), runs/log-batch with 1,000 metrics, runs/search with a metric filter and
# order_by, metrics/get-history of every point, and runs/log-metric from 8 concurrent clients.
source "$(dirname "$0")/common.sh"
backend=${1:-sqlite}
runs=${RUNS:-10000} points=${POINTS:-100000} duration=${DURATION:-10s}
scripts=$(cd "$(dirname "$0")" && pwd)
export REPORT_LUA="$scripts/report.lua"
work=$(mktemp -d)
chmod 755 "$work"  # the PostgreSQL variant runs its server as the postgres user
trap 'kill $server 2>/dev/null || true; [ "$backend" = postgresql ] && stop_postgres "$work/pg"; rm -rf "$work"' EXIT

build_all
if [ "$backend" = postgresql ]; then store=$(start_postgres "$work/pg"); else store="sqlite:$work/slipway.db"; fi
seeded=$(dotnet "$bench_dll" seed-runs "$store" "$work/artifacts" "$runs" 20 20 "$points")
eval "$seeded"  # experiment_id, history_run_id, load_run_id

port=$(free_port)
dotnet "$slipway_dll" server --urls "http://127.0.0.1:$port" --store "$store" --artifacts "$work/artifacts" >"$work/server.log" 2>&1 &
server=$!
url="http://127.0.0.1:$port"
wait_ready "$url/health"

echo "backend=$backend runs=$runs (20 metrics, 20 params each) history=$points points duration=$duration"
printf 'health (baseline), 1 client:         '
wrk -t1 -c1 -d"$duration" -s "$scripts/report.lua" "$url/health" | tail -n 1
printf 'log-batch 1000 metrics, 1 client:    '
RUN_ID=$history_run_id wrk -t1 -c1 -d"$duration" -s "$scripts/log-batch.lua" "$url" | tail -n 1
printf 'runs/search page 100, 1 client:      '
EXPERIMENT_ID=$experiment_id PAGE=100 wrk -t1 -c1 -d"$duration" -s "$scripts/search-runs.lua" "$url" | tail -n 1
printf 'runs/search page 1000, 1 client:     '
EXPERIMENT_ID=$experiment_id PAGE=1000 wrk -t1 -c1 -d"$duration" -s "$scripts/search-runs.lua" "$url" | tail -n 1
printf 'get-history %d points, 1 client: ' "$points"
wrk -t1 -c1 -d"$duration" -s "$scripts/report.lua" \
  "$url/api/2.0/mlflow/metrics/get-history?run_id=$history_run_id&metric_key=loss" | tail -n 1
printf 'health (baseline), 8 clients:        '
wrk -t2 -c8 -d"$duration" -s "$scripts/report.lua" "$url/health" | tail -n 1
printf 'log-metric, 8 clients:               '
RUN_ID=$load_run_id wrk -t2 -c8 -d"$duration" -s "$scripts/log-metric.lua" "$url" | tail -n 1
