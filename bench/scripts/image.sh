#!/usr/bin/env bash
# Image figures for docs/benchmarks.md: publish time, `slipway build` time (context + buildah), image size, and cold
# start (podman run to the first 200 on /v2/health/ready, and to the first answered prediction) as the median of N runs.
# Needs buildah, podman, runc (scripts/test.sh installs them) and a built slipway (dotnet build src/Slipway.Cli).
# Usage: bench/scripts/image.sh [RUNS]      (default 5; everything goes to a temporary folder that is removed at the end)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
slipway=${SLIPWAY:-src/Slipway.Cli/bin/Debug/net10.0/slipway}
work=$(mktemp -d /tmp/slipway-image-bench.XXXXXX)
trap 'podman rm -f -t 0 $(podman ps -aq) >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

# The settings that work on a cgroup v1, user-namespaced machine: runc, cgroupfs, host network, vfs storage in $work.
cat > "$work/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
netns = "host"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
CONF
printf '[storage]\ndriver = "vfs"\ngraphroot = "%s/graph"\nrunroot = "%s/run"\n' "$work" "$work" > "$work/storage.conf"
export CONTAINERS_CONF="$work/containers.conf" CONTAINERS_STORAGE_CONF="$work/storage.conf"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

"$slipway" --registry "$work/registry" models register iris testdata/models/iris_logreg.onnx >/dev/null

t0=$(now)
dotnet publish src/Slipway.ServeHost -c Release -r linux-x64 --self-contained -p:InvariantGlobalization=true \
  -o "$work/serve-app" -nologo -v quiet -clp:ErrorsOnly >/dev/null
t1=$(now)
echo "publish slipway-serve (trimmed, ReadyToRun): $(elapsed "$t0" "$t1") s, $(du -sm "$work/serve-app" | cut -f1) MiB"

builds=()
for i in $(seq 1 "$runs"); do
  t0=$(now)
  "$slipway" --registry "$work/registry" build models:/iris/1 --out "$work/ctx$i" --image "slipway-iris:bench$i" --builder buildah --serve-app "$work/serve-app" >/dev/null
  t1=$(now)
  builds+=("$(elapsed "$t0" "$t1")")
done
echo "slipway build (context + buildah), median of $runs: $(printf '%s\n' "${builds[@]}" | median) s (runs: ${builds[*]})"
size=$(podman image inspect --format '{{.Size}}' slipway-iris:bench1)
echo "image size: $size bytes ($(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1e6 }') MB); context: app $(du -sm "$work/ctx1/app" | cut -f1) MiB, rootfs $(du -sm "$work/ctx1/rootfs" | cut -f1) MiB, model $(du -sk "$work/ctx1/model" | cut -f1) KiB"
distinct=$(for i in $(seq 1 "$runs"); do podman image inspect --format '{{json .RootFS.Layers}}' "slipway-iris:bench$i"; done | sort -u | wc -l)
echo "distinct layer lists over $runs builds: $distinct"

body='{"dataframe_split":{"columns":["sepal_length","sepal_width","petal_length","petal_width"],"data":[[5.1,3.5,1.4,0.2]]}}'
ready=(); first=()
for i in $(seq 1 "$runs"); do
  port=$((18700 + i))
  t0=$(now)
  id=$(podman run -d -e "SLIPWAY_URLS=http://127.0.0.1:$port" slipway-iris:bench1 2>/dev/null)
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/health/ready")" = 200 ]; do sleep 0.01; done
  t1=$(now)
  curl -sf -X POST -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/invocations" >/dev/null
  t2=$(now)
  ready+=("$(elapsed "$t0" "$t1")"); first+=("$(elapsed "$t0" "$t2")")
  podman rm -f -t 0 "$id" >/dev/null 2>&1
done
echo "cold start, podman run -> /v2/health/ready 200, median of $runs: $(printf '%s\n' "${ready[@]}" | median) s (runs: ${ready[*]})"
# A kubelet creates a pod's container before it starts it; timed here: podman start of a created container -> ready.
started=()
for i in $(seq 1 "$runs"); do
  port=$((18900 + i))
  id=$(podman create -e "SLIPWAY_URLS=http://127.0.0.1:$port" slipway-iris:bench1 2>/dev/null)
  t0=$(now)
  podman start "$id" >/dev/null 2>&1   # (no systemd here: podman logs that it cannot schedule the HEALTHCHECK)
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/health/ready")" = 200 ]; do sleep 0.01; done
  t1=$(now)
  started+=("$(elapsed "$t0" "$t1")")
  podman rm -f -t 0 "$id" >/dev/null 2>&1
done
echo "cold start, podman start (container created beforehand) -> /v2/health/ready 200, median of $runs: $(printf '%s\n' "${started[@]}" | median) s (runs: ${started[*]})"
# The same start without a container (the published app on the host, the same model files): what podman adds.
alone=()
for i in $(seq 1 "$runs"); do
  port=$((18800 + i))
  t0=$(now)
  SLIPWAY_URLS="http://127.0.0.1:$port" SLIPWAY_MODEL_DIR="$work/ctx1/model" SLIPWAY_MODEL_NAME=iris SLIPWAY_MODEL_VERSION=1 \
    SLIPWAY_CACHE_DIR="$work/cache$i" "$work/serve-app/slipway-serve" >/dev/null 2>&1 &
  pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/health/ready")" = 200 ]; do sleep 0.01; done
  t1=$(now)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  alone+=("$(elapsed "$t0" "$t1")")
done
echo "start without a container, slipway-serve -> /v2/health/ready 200, median of $runs: $(printf '%s\n' "${alone[@]}" | median) s (runs: ${alone[*]})"
echo "cold start, podman run -> first prediction answered, median of $runs: $(printf '%s\n' "${first[@]}" | median) s (runs: ${first[*]})"
