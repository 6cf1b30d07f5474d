#!/usr/bin/env bash
# The store at scale: loads the first N leads of a sample history (and their events) into the Api's store through
# POST /leads/bulk and POST /events, on SQLite and on a throwaway PostgreSQL server; then a full rescoring round of
# every open lead (one instance, and on PostgreSQL again with two sharing the database) while clients send
# POST /leads/{id}/events and GET /leads/{id} at a fixed rate; then reads alone. Prints events/s, leads/s and latencies.
#   scripts/bench-store.sh [--history DIR] [--leads 20000] [--stores sqlite,postgres] [--bundle models/sample]
#                          [--live-rate 20] [--connections 4] [--leads-per-request 50] [--batch-size LEADS]
#                          [--shares 1,0.5]  (the rounds once per share of the time a round may use, LeadML:Rescoring:Share)
# Without --history it generates a sample of --leads leads first. The bench host is copied to the work folder and run
# from there, so the tree can be rebuilt while it runs.
set -euo pipefail
cd "$(dirname "$0")/.."

history=; leads=20000; stores=sqlite,postgres; bundle=models/sample; extra=()
while (($#)); do
  case "$1" in
    --history) history=$2; shift 2 ;;
    --leads) leads=$2; shift 2 ;;
    --stores) stores=$2; shift 2 ;;
    --bundle) bundle=$2; shift 2 ;;
    --live-rate|--connections|--leads-per-request|--instances|--round-timeout-minutes|--batch-size|--shares) extra+=("$1" "$2"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done

source scripts/lib-api.sh
pg_data=
stop_postgres() { [[ -n $pg_data ]] && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true; }
trap 'stop_postgres; cleanup' EXIT

bundle=$(ensure_bundle "$bundle" 4000)
dotnet build bench/Api.Bench -c Release -v quiet -nologo >/dev/null
cp -r bench/Api.Bench/bin/Release/net10.0 "$work/bench"
if [[ -z $history ]]; then
  dotnet build src/Trainer -c Release -v quiet -nologo >/dev/null
  dotnet src/Trainer/bin/Release/net10.0/leadml.dll sample --out "$work/history" --leads "$leads" --no-truth-probabilities >/dev/null
  history=$work/history
fi

args=(store --history "$history" --leads "$leads" --bundle "$bundle" --work "$work/run" "${extra[@]}")
[[ ,$stores, == *,sqlite,* ]] && args+=(--sqlite)
if [[ ,$stores, == *,postgres,* ]]; then
  # A throwaway server with PostgreSQL's default durability (fsync, synchronous commit), sized as a small dedicated
  # database would be: shared_buffers 1 GB, a WAL large enough that bulk loads do not checkpoint every few seconds.
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  id -u postgres >/dev/null 2>&1 || useradd --system postgres
  mkdir -p "$work/pg/sock" && chown -R postgres "$work/pg" && chmod 755 "$work"
  pg_data=$work/pg/data
  (cd / && LC_ALL=C runuser -u postgres -- "$pg_bin/initdb" -D "$pg_data" -U postgres -E UTF8 --locale=C --auth-local=trust --auth-host=trust >/dev/null)
  pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  (cd / && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -l "$work/pg/server.log" -w -t 60 start -o \
    "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$work/pg/sock -c max_connections=300 -c shared_buffers=1GB -c max_wal_size=8GB" >/dev/null)
  runuser -u postgres -- psql -q -h "$work/pg/sock" -p "$pg_port" -U postgres -c "CREATE DATABASE leadml" >/dev/null
  args+=(--postgres "Host=127.0.0.1;Port=$pg_port;Database=leadml;Username=postgres;Maximum Pool Size=100")
fi

echo "uptime before: $(uptime)"
dotnet "$work/bench/LeadML.Api.Bench.dll" "${args[@]}"
echo "uptime after: $(uptime)"
