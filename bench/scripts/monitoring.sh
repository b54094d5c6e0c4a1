#!/usr/bin/env bash
# Monitoring overhead under load. Registers testdata/models/diabetes_rf_regressor.onnx (10 features, named columns)
# with scikit-learn's diabetes data as its reference, starts `slipway serve` twice — monitoring on (every request
# logged to Parquet and profiled), monitoring with `--log-sample-rate 0.1`, and `--no-monitoring` — gives all three the
# same warm-up, then runs ROUNDS (default 3) alternating rounds of 64 clients against each and prints the peak
# requests/s of each and their ratios to off, followed by what the fully monitored server logged and dropped.
# DURATION (default 10s) is per line.
source "$(dirname "$0")/common.sh"
duration=${DURATION:-10s} rounds=${ROUNDS:-3}
scripts=$(cd "$(dirname "$0")" && pwd)
export REPORT_LUA="$scripts/report.lua"
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
py=/usr/bin/python3

build_all
columns=age,sex,bmi,bp,s1,s2,s3,s4,s5,s6
"$py" - "$work/reference.csv" <<'PY'
import sys
from sklearn.datasets import load_diabetes
data = load_diabetes()
with open(sys.argv[1], "w") as f:
    f.write(",".join(data.feature_names) + "\n")
    for row in data.data:
        f.write(",".join("%.7f" % v for v in row) + "\n")
PY
dotnet "$slipway_dll" --registry "$work/registry" models register diabetes "$repo/testdata/models/diabetes_rf_regressor.onnx" \
  --columns "$columns" --reference-data "$work/reference.csv" >/dev/null
dotnet "$slipway_dll" --registry "$work/registry" alias set diabetes champion 1 >/dev/null
echo "{\"dataframe_split\":{\"columns\":[\"${columns//,/\",\"}\"],\"data\":[[0.0380759,0.0506801,0.0616962,0.0218724,-0.0442235,-0.0348208,-0.0434008,-0.0025923,0.0199075,-0.0176461]]}}" \
  >"$work/diabetes.json"

start() {  # start NAME COMMAND...: runs the command in the background and waits for /health; sets url
  local name=$1 port
  shift
  port=$(free_port)
  url="http://127.0.0.1:$port"
  "${@//@URL@/$url}" >"$work/$name.log" 2>&1 &
  pids+=($!)
  wait_ready "$url/health"
}
start monitored dotnet "$slipway_dll" --registry "$work/registry" serve models:/diabetes@champion --urls @URL@ \
  --monitoring-dir "$work/monitoring"
on=$url
start sampled dotnet "$slipway_dll" --registry "$work/registry" serve models:/diabetes@champion --urls @URL@ \
  --monitoring-dir "$work/monitoring-sampled" --log-sample-rate 0.1
sampled=$url
start unmonitored dotnet "$slipway_dll" --registry "$work/registry" serve models:/diabetes@champion --urls @URL@ --no-monitoring
off=$url

run() { post_load "$1" "$2" "$work/diabetes.json" /models/diabetes/invocations; }  # 64 clients, the one-row body
for url in "$on" "$sampled" "$off"; do run "$url" "${WARMUP:-6s}" >/dev/null; done

echo "duration=$duration per line; both servers, wrk and the Parquet writer share this machine's $(nproc) cores"
best_on=0 best_sampled=0 best_off=0
for r in $(seq 1 "$rounds"); do
  line=$(run "$on" "$duration"); printf '%-34s %s\n' "monitoring on #$r" "$line"; best_on=$(peak "$best_on" "$(rps "$line")")
  line=$(run "$sampled" "$duration"); printf '%-34s %s\n' "monitoring 10% sampled #$r" "$line"; best_sampled=$(peak "$best_sampled" "$(rps "$line")")
  line=$(run "$off" "$duration"); printf '%-34s %s\n' "monitoring off #$r" "$line"; best_off=$(peak "$best_off" "$(rps "$line")")
done
echo "peak requests/s on / off: $best_on / $best_off = $(ratio "$best_on" "$best_off") (target >= 0.97)"
echo "peak requests/s 10% sampled / off: $best_sampled / $best_off = $(ratio "$best_sampled" "$best_off")"
curl -fs "$on/metrics" | grep -E '^slipway_inference_log_[a-z_]+(_total)?[{ ]' || true
for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
wait 2>/dev/null || true
pids=()
echo "inference log files: $(find "$work/monitoring" -name '*.parquet' | wc -l), $(du -sh "$work/monitoring" | cut -f1)"
