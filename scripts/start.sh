#!/usr/bin/env bash
# Runs the product locally: Redis, the sandbox peers, the BFF on http://127.0.0.1:8080 and the
# H5 preview served by the BFF on the same origin.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -f client/package.json ] && grep -q '"build:h5"' client/package.json; then
  if [ ! -f client/dist/h5/index.html ] || [ -n "$(find client/src -newer client/dist/h5/index.html -print -quit 2>/dev/null)" ]; then
    echo "[start] building the H5 preview…" >&2
    npm run build:h5 -w @mip/client >&2
  fi
fi
exec npx tsx scripts/start.ts "$@"
