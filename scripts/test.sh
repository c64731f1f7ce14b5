#!/usr/bin/env bash
# The whole test suite: builds the three client targets, then every jest project (unit,
# integration against real redis-server and sandbox processes, client, browser end-to-end).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
mkdir -p test-artifacts
if [ -f client/package.json ] && grep -q '"build"' client/package.json; then
  echo "[test] building the client (weapp, alipay, h5)…" >&2
  npm run build -w @mip/client >&2
fi
exec npx jest --ci "$@"
