#!/usr/bin/env bash
# /score throughput of this tree against another commit's, side by side in one run: both Apis built in Release, served
# at once on loopback (no store, no keys), and measured with wrk (2 threads, 32 connections) in alternation, round
# after round, on /score?explain=false and /score (full explanation), each round's order swapped so that a machine
# slowing down or speeding up moves both sides alike. The median ratio (this tree ÷ base) of the rounds counts.
#   scripts/bench-compare.sh --base COMMIT [--bundle models/sample] [--seconds 10] [--rounds 5] [--record "## heading"]
set -euo pipefail
cd "$(dirname "$0")/.."

base=; bundle=models/sample; seconds=10; rounds=5; record=
while (($#)); do
  case "$1" in
    --base) base=$2; shift 2 ;;
    --bundle) bundle=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --record) record=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done
[[ -n $base ]] || { echo "--base COMMIT is required" >&2; exit 1; }
base_id=$(git rev-parse --short "$base")
head_id=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo "+changes")

source scripts/lib-api.sh
bundle=$(ensure_bundle "$bundle")
mkdir -p "$work/base"
git archive "$base" | tar -x -C "$work/base"
dotnet build "$work/base/src/Api" -c Release -v quiet -nologo >/dev/null

pids=()
cleanup_both() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; cleanup; }
trap cleanup_both EXIT
# start SIDE DLL: serves the bundle from DLL on a free port; prints the port.
start() {
  local p=$((20000 + RANDOM % 20000))
  env LeadML__Models__sample__Bundle="$bundle" LeadML__DefaultModel=sample LeadML__WatchBundles=false LeadML__Store__Provider=none \
    Logging__LogLevel__Default=Error dotnet "$2" --urls "http://127.0.0.1:$p" --contentRoot "$work" >"$work/$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$p/health/ready" >/dev/null 2>&1 && { echo "$p"; return 0; }
    sleep 0.2
  done
  cat "$work/$1.log" >&2
  return 1
}
base_port=$(start base "$work/base/src/Api/bin/Release/net10.0/LeadML.Api.dll")
head_port=$(start head src/Api/bin/Release/net10.0/LeadML.Api.dll)

ts=$(date -u -d '-2 days' +%Y-%m-%dT%H:%M:%SZ)
created=$(date -u -d '-40 days' +%Y-%m-%dT%H:%M:%SZ)
printf '%s' '{"attributes":{"industry":"Software","company_size":500,"country":"United States","job_title":"CEO","lead_source":"web","budget_known":"yes"},"createdAt":"'$created'","events":[{"type":"page_view","detail":"/pricing","timestamp":"'$ts'"},{"type":"form_submit","detail":"/demo","timestamp":"'$ts'"},{"type":"email_open","detail":"newsletter","timestamp":"'$ts'"},{"type":"webinar","timestamp":"'$ts'"}]}' >"$work/lead.json"
cat >"$work/lead.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$work/lead.json", "rb"); wrk.body = f:read("*a"); f:close()
LUA
# Both answer the lead alike before anything is measured.
for p in "$base_port" "$head_port"; do
  curl -fs -X POST -H 'content-type: application/json' --data-binary @"$work/lead.json" "http://127.0.0.1:$p/score" >/dev/null
done

rps() { wrk -t2 -c32 -d"$1"s -s "$work/lead.lua" "http://127.0.0.1:$2$3" | tee -a "$work/wrk.log" | awk '/Requests\/sec/ {print $2}'; }
for p in "$base_port" "$head_port"; do rps 5 "$p" "/score?explain=false" >/dev/null; rps 5 "$p" /score >/dev/null; done
: >"$work/rounds"
for ((i = 1; i <= rounds; i++)); do
  for path in "/score?explain=false" /score; do
    if ((i % 2)); then b=$(rps "$seconds" "$base_port" "$path"); h=$(rps "$seconds" "$head_port" "$path")
    else h=$(rps "$seconds" "$head_port" "$path"); b=$(rps "$seconds" "$base_port" "$path"); fi
    echo "$path $b $h" | awk '{ printf "%s %s %s %.3f\n", $1, $2, $3, $3 / $2 }' | tee -a "$work/rounds" >&2
  done
done
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
summary() { # PATH: median base req/s, median this tree req/s, median ratio (range)
  local rows; rows=$(awk -v p="$1" '$1 == p' "$work/rounds")
  printf '%s | %s | %s (%s)' "$(awk '{ print $2 }' <<<"$rows" | median)" "$(awk '{ print $3 }' <<<"$rows" | median)" \
    "$(awk '{ print $4 }' <<<"$rows" | median)" "$(awk '{ print $4 }' <<<"$rows" | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "–" hi }')"
}
errors=$(grep -c "Non-2xx" "$work/wrk.log" || true)
load=$(cut -d' ' -f1-3 /proc/loadavg)
row="| $(date -u +%Y-%m-%d) | $base_id | $head_id | $(summary "/score?explain=false") | $(summary /score) | $rounds × ${seconds}s | $load | $errors |"
echo "base $base_id against $head_id: /score?explain=false $(summary "/score?explain=false"); /score $(summary /score); load $load; non-2xx runs $errors"
[[ -n $record ]] && append_row "$record" "$row"
exit 0
