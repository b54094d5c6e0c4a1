#!/usr/bin/env bash
# Server cold start to first answered request, against starting the same executable to print its version (baseline).
source "$(dirname "$0")/common.sh"
runs=${RUNS:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build_all
# One start creates the embedded store, so the measured runs time a start, not a first-time migration.
cat >"$work/start-and-probe.sh" <<PROBE
#!/usr/bin/env bash
set -euo pipefail
source "$repo/bench/scripts/common.sh"
port=\$(free_port)
dotnet "$slipway_dll" server --urls "http://127.0.0.1:\$port" --registry "$work/registry" >/dev/null 2>&1 &
pid=\$!
wait_ready "http://127.0.0.1:\$port/health"
kill \$pid; wait \$pid 2>/dev/null || true
PROBE
chmod +x "$work/start-and-probe.sh"
"$work/start-and-probe.sh"
hyperfine --warmup 1 --runs "$runs" -N --export-markdown "$work/result.md" \
  "dotnet $slipway_dll --version" "$work/start-and-probe.sh" >&2
cat "$work/result.md"
