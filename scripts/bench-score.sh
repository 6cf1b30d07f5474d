#!/usr/bin/env bash
# Scoring speed, measured side by side in one run with wrk on loopback (2 threads, 32 connections):
#   bare endpoint (parses the /score body, returns a constant) | /score?explain=false | /score (full explanation)
#   | /score/batch of 1,000 leads (rows/s) against the in-process batch rate for the same rows, in --rounds batch rounds
#   of --seconds each, each between two in-process rounds (the median ratio counts: the rounds show how much the
#   machine's noise moves it) | batch rows/s against /score?explain=false requests/s for the same lead (what a lead
#   costs in a batch against alone).
# The Api runs inside the bench host (bench/Api.Bench), which serves the reference endpoints beside it.
# Ratios are appended to BENCHMARKS.md.
#   scripts/bench-score.sh [--bundle models/sample] [--seconds 10] [--rounds 5] [--batch-connections 4] [--batch-warmup 12] [--no-record]
set -euo pipefail
cd "$(dirname "$0")/.."

bundle=models/sample; seconds=10; rounds=5; record=1; batch_connections=4; batch_warmup=12
while (($#)); do
  case "$1" in
    --bundle) bundle=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --batch-connections) batch_connections=$2; shift 2 ;;
    --batch-warmup) batch_warmup=$2; shift 2 ;;
    --no-record) record=0; shift ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done

source scripts/lib-api.sh
bundle=$(ensure_bundle "$bundle")
depth=$(grep -o '"maxDepth": *"[0-9]*"' "$bundle/manifest.json" | grep -o '[0-9]*' || echo "linear")
start_bench_host "$bundle" LeadML__Store__Provider=none

ts=$(date -u -d '-2 days' +%Y-%m-%dT%H:%M:%SZ)
created=$(date -u -d '-40 days' +%Y-%m-%dT%H:%M:%SZ)
lead='{"attributes":{"industry":"Software","company_size":500,"country":"United States","job_title":"CEO","lead_source":"web","budget_known":"yes"},"createdAt":"'$created'","events":[{"type":"page_view","detail":"/pricing","timestamp":"'$ts'"},{"type":"form_submit","detail":"/demo","timestamp":"'$ts'"},{"type":"email_open","detail":"newsletter","timestamp":"'$ts'"},{"type":"webinar","timestamp":"'$ts'"}]}'
printf '%s' "$lead" >"$work/lead.json"
{ printf '{"leads":['; for i in $(seq 1 1000); do ((i > 1)) && printf ','; printf '%s' "$lead"; done; printf ']}'; } >"$work/batch.json"
for name in lead batch; do
  cat >"$work/$name.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$work/$name.json", "rb"); wrk.body = f:read("*a"); f:close()
LUA
done

rps() { wrk -t2 -c"$3" -d"$1"s -s "$2" "http://127.0.0.1:$port$4" | tee -a "$work/wrk.log" | awk '/Requests\/sec/ {print $2}'; }
# Warm every measured path first (tiered JIT), so that no run pays for compiling what another run did not. The batch
# path takes longest: in a fresh process consecutive 3-second batch runs went 17, 17, 38, 102, 131, 139, 142 requests/s.
rps 3 "$work/lead.lua" 32 /score >/dev/null
rps "$batch_warmup" "$work/batch.lua" "$batch_connections" "/score/batch?explain=false" >/dev/null
curl -fs -X POST -H 'content-type: application/json' --data-binary @"$work/batch.json" "http://127.0.0.1:$port/bench/inprocess?repeat=5" >/dev/null
bare=$(rps "$seconds" "$work/lead.lua" 32 /bench/bare)
plain=$(rps "$seconds" "$work/lead.lua" 32 /score?explain=false)
full=$(rps "$seconds" "$work/lead.lua" 32 /score)
# Batch against in process: alternating rounds of equal length, with as many batches in flight in process as wrk keeps
# connections open. Each batch round sits between two in-process rounds and is set against their mean, so that a
# machine slowing down or speeding up over the run moves both sides alike.
inprocess() { curl -fs -X POST -H 'content-type: application/json' --data-binary @"$work/batch.json" \
  "http://127.0.0.1:$port/bench/inprocess?repeat=1&seconds=$1&concurrency=$batch_connections" | grep -o '"rowsPerSecond":[0-9.]*' | cut -d: -f2; }
# The process's allocated bytes and GC pause seconds so far; gc_add SIDE BEFORE AFTER ROWS adds a round's difference.
gc() { curl -fs "http://127.0.0.1:$port/bench/gc" | grep -o '"\(allocatedBytes\|pauseSeconds\)":[0-9.eE+-]*' | cut -d: -f2 | tr '\n' ' '; }
gc_add() { echo "$1 $2 $3 $4" | awk '{ print $1, $4 - $2, $5 - $3, $6 }' >>"$work/gc"; }
: >"$work/rounds"; : >"$work/gc"
g0=$(gc); before=$(inprocess "$seconds"); g1=$(gc); gc_add inprocess "$g0" "$g1" "$(awk -v p="$before" -v s="$seconds" 'BEGIN { print p * s }')"
for ((i = 1; i <= rounds; i++)); do
  g0=$(gc); b=$(rps "$seconds" "$work/batch.lua" "$batch_connections" "/score/batch?explain=false"); g1=$(gc)
  gc_add batch "$g0" "$g1" "$(awk -v b="$b" -v s="$seconds" 'BEGIN { print b * 1000 * s }')"
  after=$(inprocess "$seconds"); g2=$(gc)
  gc_add inprocess "$g1" "$g2" "$(awk -v p="$after" -v s="$seconds" 'BEGIN { print p * s }')"
  awk -v b="$b" -v p="$before" -v q="$after" 'BEGIN { m = (p + q) / 2; printf "%.0f %.0f %.3f\n", b * 1000, m, b * 1000 / m }' | tee -a "$work/rounds" >&2
  before=$after
done
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
batchrows=$(awk '{ print $1 }' "$work/rounds" | median)
inproc=$(awk '{ print $2 }' "$work/rounds" | median)
batch_r=$(awk '{ print $3 }' "$work/rounds" | median)
batch_range=$(awk '{ print $3 }' "$work/rounds" | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "–" hi }')
errors=$(grep -c "Non-2xx" "$work/wrk.log" || true)
gc_side() { awk -v side="$1" -v s="$seconds" '$1 == side { bytes += $2; pause += $3; rows += $4; n++ } END { printf "%.0f bytes allocated per row, GC pauses %.1f %% of the time", bytes / rows, 100 * pause / (n * s) }' "$work/gc"; }

r() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
ok() { awk -v a="$1" -v t="$2" 'BEGIN { print (a >= t) ? "✓" : "✗" }'; }
plain_r=$(r "$plain" "$bare"); full_r=$(r "$full" "$bare"); alone_r=$(r "$batchrows" "$plain")
table="| $(date -u +%Y-%m-%d) | $depth | $bare | $plain | $plain_r $(ok "$plain_r" 0.45) | $full | $full_r $(ok "$full_r" 0.10) | $batchrows | $(printf '%.0f' "$inproc") | $batch_r $(ok "$batch_r" 0.65) ($batch_range) | $alone_r $(ok "$alone_r" 2.5) | $errors |"
echo "bare $bare req/s; /score?explain=false $plain ($plain_r × bare, target 0.45); /score $full ($full_r × bare, target 0.10);"
echo "/score/batch 1,000 leads: $batchrows rows/s against $inproc in process (median ratio of $rounds rounds $batch_r, range $batch_range, target 0.65);"
echo "a lead in a batch against alone: $batchrows rows/s against $plain /score?explain=false req/s ($alone_r, target 2.5); wrk runs with non-2xx: $errors"
echo "garbage: batch $(gc_side batch); in process $(gc_side inprocess)"
if ((record)); then
  if ! grep -q '^## Api: scoring speed' BENCHMARKS.md 2>/dev/null; then
    cat >>BENCHMARKS.md <<'MD'

## Api: scoring speed

```bash
scripts/bench-score.sh [--bundle models/sample] [--seconds 10]
```

Api in Release on loopback inside the bench host (bench/Api.Bench), no store, wrk `-t2 -c32` for single leads and `-c4`
for batches of 1,000 leads, each run `--seconds` long, all in one run on the same 2 cores as wrk. The bare endpoint
reads the same body as `/score` with the same reader and returns a constant. In-process = the same 1,000 rows scored
inside the process without HTTP, in parallel like the batch endpoint, in rounds alternating with the batch rounds.
Targets: `/score?explain=false` ≥ 0.45 × bare, `/score` with the full explanation ≥ 0.10 × bare, batch ≥ 0.65 ×
in-process (median of the rounds), batch rows/s ≥ 2.5 × `/score?explain=false` requests/s (same lead).

| date | tree depth | bare req/s | `explain=false` req/s | ratio | full explanation req/s | ratio | batch rows/s | in-process rows/s | ratio (range) | batch rows/s ÷ `explain=false` req/s | non-2xx runs |
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
MD
  fi
  append_row "## Api: scoring speed" "$table"
fi
