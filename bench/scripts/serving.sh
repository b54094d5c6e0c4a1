#!/usr/bin/env bash
# Serving load tests. Registers testdata/models/iris_logreg.onnx (4 features), diabetes_rf_regressor.onnx (10 features)
# and a 500-tree FastTree forest (10 features, built by `make-forest`), starts `slipway serve` for all three twice
# (batching on, batching off), the bare Kestrel echo server and the Flask + scikit-learn server, and prints wrk's report:
#   - 1 client: GET /health of the serving process (the HTTP floor), then /invocations and V2 infer of the 10-feature model;
#   - 64 clients: iris /invocations on Slipway, the echo server and Flask, all with the same dataframe_split body;
#   - 64 clients: batching on against off for iris and the 500-tree forest, ROUNDS (default 2) alternating rounds;
# then `slipway predict` over a generated CSV of ROWS rows (and BIG_ROWS rows when set) with rows/s and peak memory.
# Every ratio is computed from figures of this run. DURATION (default 10s) is per line, after a 2 s warm-up; before
# any line, each server gets WARMUP (default 4s) of load per endpoint.
source "$(dirname "$0")/common.sh"
duration=${DURATION:-10s} rounds=${ROUNDS:-2} rows=${ROWS:-1000000} big_rows=${BIG_ROWS:-0}
scripts=$(cd "$(dirname "$0")" && pwd)
export REPORT_LUA="$scripts/report.lua"
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT

# The Python baseline runs on Debian's packages, as `mlflow models serve` would on this machine.
py=/usr/bin/python3
if ! "$py" -c 'import flask, sklearn, pandas' 2>/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "python3-flask, python3-sklearn and python3-pandas are missing; run as root to install them" >&2
    exit 1
  fi
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-flask python3-sklearn python3-pandas >&2
fi

build_all
slipway() { dotnet "$slipway_dll" --registry "$work/registry" "$@"; }
dotnet "$bench_dll" make-forest "$work/forest500.onnx" 500
for model in iris:"$repo/testdata/models/iris_logreg.onnx" diabetes:"$repo/testdata/models/diabetes_rf_regressor.onnx" \
  forest:"$work/forest500.onnx"; do
  slipway models register "${model%%:*}" "${model#*:}" >/dev/null
  slipway alias set "${model%%:*}" champion 1 >/dev/null
done

# One row per request. The iris body is the first iris flower; the diabetes body the first row of its test data.
echo '{"dataframe_split":{"columns":["sepal length (cm)","sepal width (cm)","petal length (cm)","petal width (cm)"],"data":[[5.1,3.5,1.4,0.2]]}}' \
  >"$work/iris.json"
diabetes_row='0.0380759,0.0506801,0.0616962,0.0218724,-0.0442235,-0.0348208,-0.0434008,-0.0025923,0.0199075,-0.0176461'
echo "{\"dataframe_split\":{\"columns\":[\"age\",\"sex\",\"bmi\",\"bp\",\"s1\",\"s2\",\"s3\",\"s4\",\"s5\",\"s6\"],\"data\":[[$diabetes_row]]}}" \
  >"$work/diabetes.json"
echo "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,10],\"data\":[$diabetes_row]}]}" >"$work/diabetes-v2.json"
echo "{\"dataframe_split\":{\"columns\":[\"f0\",\"f1\",\"f2\",\"f3\",\"f4\",\"f5\",\"f6\",\"f7\",\"f8\",\"f9\"],\"data\":[[0.1,0.9,0.2,0.8,0.3,0.7,0.4,0.6,0.5,0.5]]}}" \
  >"$work/forest.json"

start() {  # start NAME HEALTH_PATH COMMAND...: runs the command in the background and waits for HEALTH_PATH; sets url
  local name=$1 health=$2 port
  shift 2
  port=$(free_port)
  url="http://127.0.0.1:$port"
  "${@//@URL@/$url}" >"$work/$name.log" 2>&1 &
  pids+=($!)
  wait_ready "$url$health"
}
models=(models:/iris@champion models:/diabetes@champion models:/forest@champion)
start serve-on /health dotnet "$slipway_dll" --registry "$work/registry" serve "${models[@]}" --urls @URL@ --batching on
on=$url
start serve-off /health dotnet "$slipway_dll" --registry "$work/registry" serve "${models[@]}" --urls @URL@ --batching off
off=$url
start echo /health dotnet "$bench_dll" echo-server @URL@
echo_url=$url
port=$(free_port)
"$py" "$scripts/flask_server.py" "$port" >"$work/flask.log" 2>&1 &
pids+=($!)
flask=http://127.0.0.1:$port
wait_ready "$flask/health"

# load LABEL CLIENTS URL PATH BODY [CONTENT_TYPE]: a 2 s warm-up, then the measured run; prints and keeps the report line.
load() {
  local label=$1 clients=$2 url=$3 path=$4 body=$5 type=${6-application/json} threads=1 line
  [ "$clients" -gt 1 ] && threads=2
  if [ "$body" = GET ]; then
    wrk -t"$threads" -c"$clients" -d2s "$url$path" >/dev/null
    line=$(wrk -t"$threads" -c"$clients" -d"$duration" -s "$REPORT_LUA" "$url$path" | tail -n 1)
  else
    BODY_FILE=$body PATH_=$path CONTENT_TYPE=$type wrk -t"$threads" -c"$clients" -d2s -s "$scripts/post-body.lua" "$url" >/dev/null
    line=$(BODY_FILE=$body PATH_=$path CONTENT_TYPE=$type \
      wrk -t"$threads" -c"$clients" -d"$duration" -s "$scripts/post-body.lua" "$url" | tail -n 1)
  fi
  printf '%-44s %s\n' "$label" "$line"
  results[$label]=$line
}
field() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p; s/^$2=\([0-9.]*\).*/\1/p" <<<"${results[$1]}" | head -n 1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
declare -A results

# Both serve processes get the same warm-up before any line is measured (tiered JIT settles over seconds of load; a
# process measured cold reads several times slower than one measured warm).
warm() { BODY_FILE=$3 PATH_=$2 CONTENT_TYPE=application/json wrk -t"$(( $4 > 1 ? 2 : 1 ))" -c"$4" -d"${WARMUP:-4s}" -s "$scripts/post-body.lua" "$1" >/dev/null; }
for url in "$on" "$off"; do
  warm "$url" /models/iris/invocations "$work/iris.json" 64
  warm "$url" /models/forest/invocations "$work/forest.json" 64
  warm "$url" /models/diabetes/invocations "$work/diabetes.json" 1
  warm "$url" /v2/models/diabetes/infer "$work/diabetes-v2.json" 1
done
warm "$echo_url" /invocations "$work/iris.json" 64

echo "duration=$duration per line; slipway serve, echo server, Flask and wrk share this machine's $(nproc) cores"
echo "== 1 client"
load "health (floor), serve" 1 "$on" /health GET
load "diabetes /invocations, 1 row" 1 "$on" /models/diabetes/invocations "$work/diabetes.json"
load "diabetes V2 infer, 1 row" 1 "$on" /v2/models/diabetes/infer "$work/diabetes-v2.json"
floor=$(field "health (floor), serve" p50_ms)
echo "p50 above the /health floor: /invocations $(awk -v a="$(field "diabetes /invocations, 1 row" p50_ms)" -v f="$floor" \
  'BEGIN { printf "%.0f us", (a - f) * 1000 }'), V2 infer $(awk -v a="$(field "diabetes V2 infer, 1 row" p50_ms)" -v f="$floor" \
  'BEGIN { printf "%.0f us", (a - f) * 1000 }')"

echo "== 64 clients, iris dataframe_split of one row"
load "echo server (bare Kestrel, parse + echo)" 64 "$echo_url" /invocations "$work/iris.json"
load "slipway /invocations, batching on" 64 "$on" /models/iris/invocations "$work/iris.json"
load "flask + scikit-learn" 64 "$flask" /invocations "$work/iris.json"
slipway_rps=$(field "slipway /invocations, batching on" rps)
echo "slipway / echo = $(ratio "$slipway_rps" "$(field "echo server (bare Kestrel, parse + echo)" rps)") (target >= 0.6)," \
  "slipway / flask = $(ratio "$slipway_rps" "$(field "flask + scikit-learn" rps)") (target >= 30)"

# Alternating rounds, so that load from elsewhere on the machine hits both settings alike; the peak of each is compared.
echo "== 64 clients, batching on against off ($rounds rounds, alternating)"
peak() { local best=0 r v; for r in $(seq 1 "$rounds"); do v=$(field "$1 #$r" rps); best=$(awk -v a="$best" -v b="$v" 'BEGIN { print (b > a) ? b : a }'); done; echo "$best"; }
for r in $(seq 1 "$rounds"); do
  load "iris, batching on #$r" 64 "$on" /models/iris/invocations "$work/iris.json"
  load "iris, batching off #$r" 64 "$off" /models/iris/invocations "$work/iris.json"
  load "forest 500 trees, batching on #$r" 64 "$on" /models/forest/invocations "$work/forest.json"
  load "forest 500 trees, batching off #$r" 64 "$off" /models/forest/invocations "$work/forest.json"
done
echo "peak requests/s on / off: iris $(peak "iris, batching on") / $(peak "iris, batching off") =" \
  "$(ratio "$(peak "iris, batching on")" "$(peak "iris, batching off")"), forest $(peak "forest 500 trees, batching on") /" \
  "$(peak "forest 500 trees, batching off") = $(ratio "$(peak "forest 500 trees, batching on")" "$(peak "forest 500 trees, batching off")")"
for url in "$on" "$off"; do
  curl -fs "$url/api/slipway/serving/models" | "$py" -c '
import json, sys
for m in json.load(sys.stdin)["models"]:
    b = m["batching"]
    print("  %-9s batching=%-5s runs=%d requests=%d merged_runs=%d largest_run_requests=%d rejected=%d" % (
        m["name"], b["enabled"], b["runs"], b["requests"], b["merged_runs"], b["largest_run_requests"], b["rejected"]))'
done
for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
pids=()

# Batch scoring: the 10-feature model over a generated CSV; the bigger file repeats the first one's rows.
echo "== slipway predict"
"$py" - "$work/rows.csv" "$rows" <<'PY'
import random, sys
random.seed(1)
with open(sys.argv[1], "w") as f:
    f.write("age,sex,bmi,bp,s1,s2,s3,s4,s5,s6\n")
    for _ in range(int(sys.argv[2])):
        f.write(",".join("%.6f" % random.uniform(-0.1, 0.1) for _ in range(10)) + "\n")
PY
predict() {  # predict FILE ROWS
  /usr/bin/time -v -o "$work/time.txt" dotnet "$slipway_dll" --registry "$work/registry" predict models:/diabetes@champion \
    --input "$1" --output "$work/out.parquet" --output json >"$work/predict.json"
  local seconds rss
  seconds=$(sed -n 's/.*"seconds": \([0-9.]*\).*/\1/p' "$work/predict.json")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\).*/\1/p' "$work/time.txt")
  printf '%-44s rows=%d seconds=%.2f rows_per_s=%.0f peak_rss_mib=%.0f file_mib=%.0f\n' "predict $2 rows csv -> parquet" "$2" "$seconds" \
    "$(awk -v r="$2" -v s="$seconds" 'BEGIN { print r / s }')" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" \
    "$(awk -v b="$(stat -c %s "$1")" 'BEGIN { print b / 1048576 }')"
}
predict "$work/rows.csv" "$rows"
if [ "$big_rows" -gt 0 ]; then
  times=$(( (big_rows + rows - 1) / rows ))
  { cat "$work/rows.csv"; for _ in $(seq 2 "$times"); do tail -n +2 "$work/rows.csv"; done; } >"$work/big.csv"
  rm -f "$work/rows.csv"
  predict "$work/big.csv" $(( times * rows ))
fi
