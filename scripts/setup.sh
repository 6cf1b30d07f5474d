#!/usr/bin/env bash
# Installs what LeadML needs on a fresh Debian machine with the .NET SDK (run as root).
#   scripts/setup.sh            the XGBoost engine
#   scripts/setup.sh --tests    also headless Chromium (UI tests), PostgreSQL (store tests) and wrk (benchmarks)
set -euo pipefail

packages=(libxgboost0)
if [[ "${1:-}" == "--tests" ]]; then
  packages+=(chromium postgresql wrk sqlite3)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "Installing: ${missing[*]}"
  # Keep apt from creating and starting a 'main' PostgreSQL cluster: tests start their own throwaway servers.
  if [[ " ${missing[*]} " == *" postgresql "* ]]; then
    mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/leadml.conf
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
