#!/usr/bin/env bash
# Cost of traffic splitting under load. Three embedded registries each hold testdata/models/diabetes_rf_regressor.onnx
# twice (versions 1 and 2, the same model) with `champion` on version 1: one serves it alone, one runs version 2 as a
# 50 % canary, one mirrors 100 % of requests to version 2 as a shadow (the canary policy's automatic decisions are off,
# so the split holds for the whole run). `slipway serve --no-monitoring` serves each; all get the same warm-up, then
# ROUNDS (default 3) alternating rounds of 64 clients; prints the peak requests/s of each and their ratios to the
# unsplit server. A shadow scores every request a second time on the same 2 cores, so its ratio shows that work; the
# canary's shows the routing alone. DURATION (default 10s) is per line.
source "$(dirname "$0")/common.sh"
duration=${DURATION:-10s} rounds=${ROUNDS:-3}
scripts=$(cd "$(dirname "$0")" && pwd)
export REPORT_LUA="$scripts/report.lua"
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT

build_all
columns=age,sex,bmi,bp,s1,s2,s3,s4,s5,s6
cat >"$work/policy.yaml" <<'YAML'
protected: false
canary: {weight: 50, window: 1h, auto_promote: false, auto_rollback: false}
YAML
setup() {  # setup REGISTRY [PROMOTE-ARGS...]: two identical versions, champion on 1, then the split asked for
  local registry=$1
  shift
  for _ in 1 2; do
    dotnet "$slipway_dll" --registry "$registry" models register diabetes "$repo/testdata/models/diabetes_rf_regressor.onnx" --columns "$columns" >/dev/null
  done
  dotnet "$slipway_dll" --registry "$registry" policy set diabetes champion "$work/policy.yaml" >/dev/null
  dotnet "$slipway_dll" --registry "$registry" promote diabetes 1 --alias champion >/dev/null
  if [ $# -gt 0 ]; then dotnet "$slipway_dll" --registry "$registry" promote diabetes 2 --alias champion "$@" >/dev/null; fi
}
setup "$work/plain"
setup "$work/canary" --canary 50
setup "$work/shadow" --shadow 100
echo "{\"dataframe_split\":{\"columns\":[\"${columns//,/\",\"}\"],\"data\":[[0.0380759,0.0506801,0.0616962,0.0218724,-0.0442235,-0.0348208,-0.0434008,-0.0025923,0.0199075,-0.0176461]]}}" \
  >"$work/diabetes.json"

start() {  # start REGISTRY: serves champion from it in the background and waits for /health; sets url
  local port
  port=$(free_port)
  url="http://127.0.0.1:$port"
  dotnet "$slipway_dll" --registry "$1" serve models:/diabetes@champion --urls "$url" --no-monitoring >"$1.log" 2>&1 &
  pids+=($!)
  wait_ready "$url/health"
}
start "$work/plain"; plain=$url
start "$work/canary"; canary=$url
start "$work/shadow"; shadow=$url
sleep 3  # the split is read at the first poll after the alias

run() { post_load "$1" "$2" "$work/diabetes.json" /models/diabetes/invocations; }  # 64 clients, the one-row body
for url in "$plain" "$canary" "$shadow"; do run "$url" "${WARMUP:-6s}" >/dev/null; done

echo "duration=$duration per line; the servers and wrk share this machine's $(nproc) cores"
best_plain=0 best_canary=0 best_shadow=0
for r in $(seq 1 "$rounds"); do
  line=$(run "$plain" "$duration"); printf '%-24s %s\n' "no split #$r" "$line"; best_plain=$(peak "$best_plain" "$(rps "$line")")
  line=$(run "$canary" "$duration"); printf '%-24s %s\n' "50% canary #$r" "$line"; best_canary=$(peak "$best_canary" "$(rps "$line")")
  line=$(run "$shadow" "$duration"); printf '%-24s %s\n' "100% shadow #$r" "$line"; best_shadow=$(peak "$best_shadow" "$(rps "$line")")
done
echo "peak requests/s canary / none: $best_canary / $best_plain = $(ratio "$best_canary" "$best_plain")"
echo "peak requests/s shadow / none: $best_shadow / $best_plain = $(ratio "$best_shadow" "$best_plain")"
curl -fs "$canary/metrics" | grep -E '^slipway_serving_requests_total' || true
curl -fs "$shadow/metrics" | grep -E '^slipway_shadow_requests_total' || true
