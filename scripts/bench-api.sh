#!/usr/bin/env bash
# Event ingestion with rescoring (POST /events on the SQLite store) against POST /score, requests/s measured with wrk
# on loopback in one run, and the ratio appended to BENCHMARKS.md (target: ingestion >= 0.25 x /score).
#   scripts/bench-api.sh [--bundle models/sample] [--seconds 15] [--connections 16] [--sync FULL|NORMAL] [--no-record]
# Without a bundle it generates a 4,000-lead sample history and trains one into a temporary folder first.
set -euo pipefail
cd "$(dirname "$0")/.."

bundle=models/sample; seconds=15; connections=16; record=1; sync=FULL
while (($#)); do
  case "$1" in
    --bundle) bundle=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --sync) sync=$2; shift 2 ;;
    --no-record) record=0; shift ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done

source scripts/lib-api.sh
bundle=$(ensure_bundle "$bundle" 4000)
start_api "$bundle" LeadML__Store__Provider=sqlite LeadML__Store__Synchronous="$sync" LeadML__Store__Path="$work/leadml.db"

ts=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
created=$(date -u -d '-20 days' +%Y-%m-%dT%H:%M:%SZ)
cat >"$work/score.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"attributes":{"industry":"Software","company_size":500,"country":"United States","job_title":"CEO","lead_source":"web","budget_known":true},"createdAt":"$created","events":[{"type":"page_view","detail":"/pricing","timestamp":"$ts"},{"type":"form_submit","detail":"/demo","timestamp":"$ts"},{"type":"email_open","detail":"newsletter","timestamp":"$ts"}]}'
LUA
# One new event per request, spread over 1,000 leads; ids unique per run, thread and request, so none is a duplicate.
cat >"$work/events.lua" <<LUA
wrk.headers["Content-Type"] = "application/json"
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
local counter, run = 0, "r"
function init(args) run = args[1] or "r" end
function request()
  counter = counter + 1
  local body = string.format('{"events":[{"leadId":"bench-%d","eventId":"%s-%d-%d","type":"page_view","detail":"/pricing","timestamp":"$ts"}]}',
    (counter * 7919 + tid * 13) % 1000, run, tid, counter)
  return wrk.format("POST", "/events", nil, body)
end
LUA

rps() { wrk -t2 -c"$connections" -d"$1"s -s "$2" "http://127.0.0.1:$port$3" -- "$4" | tee -a "$work/wrk.log" | awk '/Requests\/sec/ {print $2}'; }
rps 3 "$work/score.lua" /score warm >/dev/null
rps 3 "$work/events.lua" /events warm >/dev/null
score=$(rps "$seconds" "$work/score.lua" /score run)
events=$(rps "$seconds" "$work/events.lua" /events run)
errors=$(grep -c "Non-2xx" "$work/wrk.log" || true)
ratio=$(awk -v e="$events" -v s="$score" 'BEGIN { printf "%.2f", e / s }')
met=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.25) ? "✓" : "✗" }')
stored=$(sqlite3 "$work/leadml.db" "SELECT COUNT(*) FROM events" 2>/dev/null || echo "?")
echo "POST /score: $score req/s; POST /events (1 event, rescored, $sync sync): $events req/s; ratio $ratio (>= 0.25 $met); $stored events stored; wrk runs with non-2xx: $errors"

if ((record)); then
  heading="## Api: event ingestion with rescoring vs /score"
  if ! grep -qF "$heading" BENCHMARKS.md 2>/dev/null; then
    [[ -f BENCHMARKS.md ]] || printf '# Benchmarks\n' >BENCHMARKS.md
    cat >>BENCHMARKS.md <<MD

$heading

\`scripts/bench-api.sh [--seconds 15] [--connections 16]\`: one Release Api process with the SQLite store
(synchronous FULL, WAL) on loopback, wrk with 2 threads; \`POST /score\` scores one lead with three events and the
explanation; \`POST /events\` stores one new event (idempotency check, lead created on first event) and rescores its
lead from all its stored events in the same transaction. Both in the same run, so the ratio is what counts on the
shared 2 cores (server and wrk compete). Target: ingestion ≥ 0.25 × /score.

| date (UTC) | seconds | connections | /score req/s | /events req/s | ratio | ≥ 0.25 |
|---|---:|---:|---:|---:|---:|:-:|
MD
  fi
  append_row "$heading" "| $(date -u +%Y-%m-%d) | $seconds | $connections | $score | $events | $ratio | $met |"
fi
