#!/usr/bin/env bash
# Runs Hisaab locally: builds the web app (web/dist) when its sources are
# newer than the build, then serves it with every API route on the
# embedded SQLite store in ./.hisaab. Needs no AWS account.
# Extra arguments go to `hisaab serve` (e.g. --addr 127.0.0.1:4000).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f web/dist/index.html ] || [ -n "$(find web/src web/package-lock.json functions/openapi.json -newer web/dist/index.html -print -quit)" ]; then
  echo "== building the web app (web/dist)"
  (cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build)
fi
exec cargo run -p hisaab-cli -- serve --addr 127.0.0.1:3000 --data-dir ./.hisaab --web-dir web/dist "$@"
