#!/usr/bin/env bash
# The main job end to end on bundled sample data: set up, build, generate a sample history, read it, train a model
# (bundle + report under models/sample), and serve it with the Api on http://127.0.0.1:5080 until Ctrl+C.
#   scripts/demo.sh [--no-serve]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
dotnet build LeadML.sln -c Release -v quiet -nologo

leadml() { dotnet src/Trainer/bin/Release/net10.0/leadml.dll "$@"; }

leadml sample --out data/sample
leadml read --history data/sample
leadml train --history data/sample --out models/sample
leadml inspect models/sample
echo "Report: $PWD/models/sample/report.html"

if [[ "${1:-}" == "--no-serve" ]]; then
  exit 0
fi

echo
echo "Serving models/sample on http://127.0.0.1:5080 (Swagger UI at /swagger, review page at /review). Ctrl+C stops it."
echo "Try: curl -s -X POST http://127.0.0.1:5080/score -H 'content-type: application/json' \\"
echo "       -d '{\"attributes\":{\"industry\":\"Software\",\"job_title\":\"CEO\"},\"events\":[{\"type\":\"page_view\",\"detail\":\"/pricing\",\"timestamp\":\"$(date -u -d '-2 days' +%FT%TZ)\"}]}'"
exec dotnet src/Api/bin/Release/net10.0/LeadML.Api.dll --urls http://127.0.0.1:5080 \
  --contentRoot "$PWD" --LeadML:Models:sample:Bundle=models/sample --LeadML:Store:Path=models/leadml.db
