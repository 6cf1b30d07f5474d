#!/usr/bin/env bash
# /score throughput of this tree against another commit's, side by side in one run: both Apis built in Release, served
# at once on loopback (no store, no keys), and measured with wrk (2 threads, 32 connections) in alternation, round
# after round, on /score?explain=false and /score (full explanation), each round's order swapped so that a machine
# slowing down or speeding up moves both sides alike. The median ratio (this tree ÷ base) of the rounds counts, of
# requests per second and of requests per CPU second of the server process (what a request costs it, which a machine
# loaded by others moves much less than its share of the cores). With
# --together both are measured at the same time instead (one wrk each, 1 thread and 16 connections), so that a machine
# loaded by others slows both alike within each round.
#   scripts/bench-compare.sh --base COMMIT [--bundle models/sample] [--seconds 10] [--rounds 5] [--together] [--record "## heading"]
set -euo pipefail
cd "$(dirname "$0")/.."

base=; bundle=models/sample; seconds=10; rounds=5; record=; together=0
while (($#)); do
  case "$1" in
    --base) base=$2; shift 2 ;;
    --bundle) bundle=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --record) record=$2; shift 2 ;;
    --together) together=1; shift ;;
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
# start SIDE DLL: serves the bundle from DLL on a free port; sets $port and adds the process to $pids.
start() {
  port=$((20000 + RANDOM % 20000))
  env LeadML__Models__sample__Bundle="$bundle" LeadML__DefaultModel=sample LeadML__WatchBundles=false LeadML__Store__Provider=none \
    Logging__LogLevel__Default=Error dotnet "$2" --urls "http://127.0.0.1:$port" --contentRoot "$work" >"$work/$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  cat "$work/$1.log" >&2
  return 1
}
start base "$work/base/src/Api/bin/Release/net10.0/LeadML.Api.dll"; base_port=$port; base_pid=${pids[0]}
start head src/Api/bin/Release/net10.0/LeadML.Api.dll; head_port=$port; head_pid=${pids[1]}

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

# The CPU seconds a process has used (user + system), to count requests per CPU second: on a machine loaded by others
# a server's share of the cores moves its requests per second, much less what each request costs it.
cpu() { awk -v t="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$1/stat"; }
# measure SIDE PORT PID PATH [THREADS CONNECTIONS]: one wrk run; writes "requests/s requests cpu-seconds" to $work/SIDE.result.
measure() {
  local c0 c1; c0=$(cpu "$3")
  wrk -t"${5:-2}" -c"${6:-32}" -d"$seconds"s -s "$work/lead.lua" "http://127.0.0.1:$2$4" >"$work/$1.wrk"
  c1=$(cpu "$3")
  cat "$work/$1.wrk" >>"$work/wrk.log"
  echo "$(awk '/Requests\/sec/ {print $2}' "$work/$1.wrk") $(awk '/requests in/ {print $1}' "$work/$1.wrk") $(awk -v a="$c0" -v b="$c1" 'BEGIN { print b - a }')" >"$work/$1.result"
}
warm() { local s=$seconds; seconds=5; measure warm "$1" "$2" "/score?explain=false"; measure warm "$1" "$2" /score; seconds=$s; }
warm "$base_port" "$base_pid"; warm "$head_port" "$head_pid"
: >"$work/rounds"
for ((i = 1; i <= rounds; i++)); do
  for path in "/score?explain=false" /score; do
    if ((together)); then
      measure base "$base_port" "$base_pid" "$path" 1 16 & wrk_pid=$!
      measure head "$head_port" "$head_pid" "$path" 1 16
      wait "$wrk_pid"
    elif ((i % 2)); then measure base "$base_port" "$base_pid" "$path"; measure head "$head_port" "$head_pid" "$path"
    else measure head "$head_port" "$head_pid" "$path"; measure base "$base_port" "$base_pid" "$path"; fi
    # path, base req/s, this tree req/s, ratio, base requests per CPU second, this tree's, ratio
    paste -d' ' "$work/base.result" "$work/head.result" | awk -v p="$path" '{ bc = $2 / $3; hc = $5 / $6; printf "%s %s %s %.3f %.0f %.0f %.3f\n", p, $1, $4, $4 / $1, bc, hc, hc / bc }' \
      | tee -a "$work/rounds" >&2
  done
done
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
summary() { # PATH: medians of base req/s, this tree's, their ratio (range); of requests per CPU second and their ratio (range)
  local rows; rows=$(awk -v p="$1" '$1 == p' "$work/rounds")
  col() { awk -v c="$1" '{ print $c }' <<<"$rows"; }
  range() { col "$1" | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "–" hi }'; }
  printf '%s | %s | %s (%s) | %s | %s | %s (%s)' "$(col 2 | median)" "$(col 3 | median)" "$(col 4 | median)" "$(range 4)" \
    "$(col 5 | median)" "$(col 6 | median)" "$(col 7 | median)" "$(range 7)"
}
errors=$(grep -c "Non-2xx" "$work/wrk.log" || true)
load=$(cut -d' ' -f1-3 /proc/loadavg)
mode=$( ((together)) && echo "together" || echo "alternating")
row="| $(date -u +%Y-%m-%d) | $base_id | $head_id | $mode | $(summary "/score?explain=false") | $(summary /score) | $rounds × ${seconds}s | $load | $errors |"
echo "base $base_id against $head_id: /score?explain=false $(summary "/score?explain=false"); /score $(summary /score); load $load; non-2xx runs $errors"
[[ -n $record ]] && append_row "$record" "$row"
exit 0
