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
