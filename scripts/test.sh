#!/usr/bin/env bash
# Runs every Slipway test project. On a fresh machine it first installs what the tests run against for real:
# PostgreSQL, Prometheus, Python 3, buildah, podman, runc, skopeo and Go (Debian packages), s3rver, hyparquet,
# action-validator, gitlab-ci-local and kubernetes-models (npm, into .tools/), and the chart renderer (.tools/bin). Ends with one line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '==> %s\n' "$*" >&2; }

apt_updated=false
apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: $* missing and not running as root; install them (apt-get install $*) or run as root" >&2
    exit 1
  fi
  if [ "$apt_updated" = false ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    apt_updated=true
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  log "installing PostgreSQL"
  apt_install postgresql
fi
if [ ! -x /usr/bin/promtool ]; then
  log "installing Prometheus and promtool"
  apt_install prometheus
fi
# An independent webhook receiver: it verifies MLflow's signature with Python's own hmac (standard library only).
if [ ! -x /usr/bin/python3 ]; then
  log "installing Python 3"
  apt_install python3
fi
if ! command -v npm >/dev/null 2>&1; then
  log "installing Node.js and npm (for s3rver and hyparquet)"
  apt_install nodejs npm
fi
if [ ! -x .tools/node_modules/.bin/s3rver ]; then
  log "installing s3rver into .tools/"
  npm install --silent --no-audit --no-fund --prefix .tools s3rver@3.7.1 >/dev/null
fi
# An independent Parquet reader: the inference log tests read Slipway's files back with it.
if [ ! -f .tools/node_modules/hyparquet/package.json ]; then
  log "installing hyparquet into .tools/"
  npm install --silent --no-audit --no-fund --prefix .tools hyparquet@1.33.0 >/dev/null
fi
# Independent linters of the CI pipelines `slipway ci init` writes: GitHub's workflow schema and GitLab's.
if [ ! -f .tools/node_modules/@action-validator/cli/cli.mjs ] || [ ! -f .tools/node_modules/gitlab-ci-local/src/index.js ]; then
  log "installing action-validator and gitlab-ci-local into .tools/"
  npm install --silent --no-audit --no-fund --prefix .tools @action-validator/cli@0.6.0 @action-validator/core@0.6.0 gitlab-ci-local@4.56.2 >/dev/null
fi
# OCI images without a Docker daemon: `slipway build` tests build with buildah and run the image with podman (runc: crun
# fails on cgroup v1 hosts); skopeo reads layer digests.
if [ ! -x /usr/bin/buildah ] || [ ! -x /usr/bin/podman ]; then
  log "installing buildah, podman, runc and skopeo"
  apt_install buildah podman runc skopeo
fi
# The Helm chart's tests: a renderer built on Helm's own template engine parts (Go's text/template, sprig v3,
# sigs.k8s.io/yaml, gojsonschema; Debian's Go packages), the Kubernetes and prometheus-operator OpenAPI schemas
# (kubernetes-models, npm) and the API's field lists (the official JavaScript client, @kubernetes/client-node).
if [ ! -x /usr/bin/go ] || [ ! -d /usr/share/gocode/src/github.com/Masterminds/sprig ] || [ ! -d /usr/share/gocode/src/sigs.k8s.io/yaml ] \
    || [ ! -d /usr/share/gocode/src/github.com/xeipuuv/gojsonschema ]; then
  log "installing Go and the Go libraries of the chart renderer"
  apt_install golang-go golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev golang-github-xeipuuv-gojsonschema-dev
fi
if [ ! -x .tools/bin/helm-template ] || [ tests/tools/helm-template/main.go -nt .tools/bin/helm-template ]; then
  log "building helm-template into .tools/bin"
  mkdir -p .tools/bin
  (cd tests/tools/helm-template && GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$OLDPWD/.tools/go-cache" go build -o "$OLDPWD/.tools/bin/helm-template" .)
fi
if [ ! -f .tools/node_modules/kubernetes-models/package.json ] || [ ! -f .tools/node_modules/@kubernetes-models/prometheus-operator/package.json ] \
    || [ ! -f .tools/node_modules/@kubernetes/client-node/package.json ]; then
  log "installing kubernetes-models and @kubernetes/client-node into .tools/"
  npm install --silent --no-audit --no-fund --prefix .tools kubernetes-models@5.1.0 @kubernetes-models/prometheus-operator@6.0.0 \
    @kubernetes/client-node@2.0.1 yaml@2.8.1 >/dev/null
fi
if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET 10 SDK (dotnet) is required" >&2
  exit 1
fi

export SLIPWAY_S3RVER="$PWD/.tools/node_modules/.bin/s3rver"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log "building"
dotnet build Slipway.slnx -c Release -nologo -v quiet -clp:ErrorsOnly

results=$(mktemp -d)
status=0
for project in tests/*.Tests/*.csproj; do
  name=$(basename "$project" .csproj)
  log "testing $name"
  if ! dotnet test "$project" -c Release --no-build -nologo \
      --logger "trx;LogFileName=$name.trx" --results-directory "$results" "$@"; then
    status=1
  fi
done

# Sum the counters of every TRX file: one summary line over all projects.
passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
rm -rf "$results"

if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "error: no test ran" >&2
  status=1
fi
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
