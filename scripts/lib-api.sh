#!/usr/bin/env bash
# Shared by the Api benchmark scripts (sourced, not run): a work folder cleaned on exit, a bundle to serve, the Api
# started in Release on a free loopback port.

command -v wrk >/dev/null || scripts/setup.sh --tests
work=$(mktemp -d)
api_pid=
cleanup() { [[ -n $api_pid ]] && kill "$api_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# ensure_bundle PATH [LEADS]: prints PATH, or trains a bundle on a generated sample (default size unless LEADS) into
# the work folder.
ensure_bundle() {
  local bundle=$1 leads=${2:-}
  dotnet build src/Api -c Release -v quiet -nologo >/dev/null
  if [[ ! -f $bundle/manifest.json ]]; then
    echo "No bundle at $bundle: training one on a generated sample history first" >&2
    dotnet build src/Trainer -c Release -v quiet -nologo >/dev/null
    dotnet src/Trainer/bin/Release/net10.0/leadml.dll sample --out "$work/history" ${leads:+--leads "$leads"} --no-truth-probabilities >/dev/null
    dotnet src/Trainer/bin/Release/net10.0/leadml.dll train --history "$work/history" --out "$work/models/sample" >/dev/null
    bundle=$work/models/sample
  fi
  (cd "$bundle" && pwd)
}

# start_api BUNDLE [NAME=VALUE…]: serves BUNDLE as model "sample" with the given extra environment; sets $port.
start_api() {
  port=$((20000 + RANDOM % 20000))
  serve "$@" -- dotnet src/Api/bin/Release/net10.0/LeadML.Api.dll --urls "http://127.0.0.1:$port" --contentRoot "$work"
}

# start_bench_host BUNDLE [NAME=VALUE…]: as start_api, through the bench host (bench/Api.Bench): the same Api in one
# process with the in-process reference endpoints (/bench/bare, /bench/inprocess, /bench/gc) beside it.
start_bench_host() {
  dotnet build bench/Api.Bench -c Release -v quiet -nologo >/dev/null
  port=$((20000 + RANDOM % 20000))
  serve "$@" -- dotnet bench/Api.Bench/bin/Release/net10.0/LeadML.Api.Bench.dll --port "$port"
}

# serve BUNDLE [NAME=VALUE…] -- COMMAND…: runs COMMAND with the bundle and the environment, and waits until ready.
serve() {
  local bundle=$1; shift
  local settings=()
  while [[ $1 != -- ]]; do settings+=("$1"); shift; done
  shift
  env "${settings[@]}" LeadML__Models__sample__Bundle="$bundle" LeadML__DefaultModel=sample LeadML__WatchBundles=false Logging__LogLevel__Default=Error \
    "$@" >"$work/api.log" 2>&1 &
  api_pid=$!
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  cat "$work/api.log"
  return 1
}

# append_row HEADING ROW: adds ROW after the last table row of the BENCHMARKS.md section HEADING.
append_row() {
  awk -v h="$1" -v row="$2" '
    { line[NR] = $0 }
    END {
      inside = 0; last = 0
      for (i = 1; i <= NR; i++) {
        if (line[i] == h) { inside = 1; continue }
        if (inside && line[i] ~ /^## /) inside = 0
        if (inside && line[i] ~ /^\|/) last = i
      }
      for (i = 1; i <= NR; i++) { print line[i]; if (i == last) print row }
      if (last == 0) print row
    }' BENCHMARKS.md >"$work/BENCHMARKS.md" && cp "$work/BENCHMARKS.md" BENCHMARKS.md
}
