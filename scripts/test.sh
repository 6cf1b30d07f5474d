#!/usr/bin/env bash
# Runs every test: installs what a clean machine lacks, builds, and runs the xunit suites of the solution.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --tests
dotnet build LeadML.sln -c Release -v quiet -nologo

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test LeadML.sln -c Release --no-build -v minimal -nologo 2>&1 | tee "$log" || status=$?

# One closing line over all test assemblies.
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
