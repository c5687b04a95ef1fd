#!/usr/bin/env bash
# Throughput of the local server (docs/benchmarks.md, "Local server
# throughput"): the demo dairy with 10,000 customers (and a month of their
# deliveries), `hisaab serve` built with the server profile (the release
# profile at opt-level 3 with thin LTO, see Cargo.toml), and wrk on the
# same machine: `GET /v1/customers?limit=50`, `GET /v1/me` and an unknown
# path, each for 20 s over 64 connections on two threads.
#
#   bash infra/bench-throughput.sh [data dir, default /tmp/hisaab-bench10k]
#   HISAAB_BIN=/tmp/hisaab-before bash infra/bench-throughput.sh
#
# Needs wrk (`apt-get install wrk`). Seeding the store the first time takes
# about 5 minutes; later runs reuse it. The OTP login counts against the
# dairy owner's 3 codes in 15 minutes: run it at most three times in that,
# or pass the printed token as BENCH_TOKEN.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-/tmp/hisaab-bench10k}
PORT=${BENCH_PORT:-3300}
H=http://127.0.0.1:$PORT
PHONE=+919800000002 # the demo dairy's owner
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
# HISAAB_BIN measures another build (a copy of an earlier one, say).
BIN=${HISAAB_BIN:-target/server/hisaab}
[ -n "${HISAAB_BIN:-}" ] || cargo build --profile server -p hisaab-cli --quiet
if [ ! -f "$DIR/hisaab.sqlite" ]; then
  "$BIN" seed demo --customers 10000 --months 1 --data-dir "$DIR" >/dev/null
fi
"$BIN" serve --addr 127.0.0.1:$PORT --data-dir "$DIR" --no-schedules >/dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf $H/v1/openapi.json >/dev/null && break; sleep 0.2; done
# BENCH_TOKEN reuses an access token of an earlier run (it lasts 15
# minutes) instead of another OTP login.
TOKEN=${BENCH_TOKEN:-}
if [ -z "$TOKEN" ]; then
  curl -sf -X POST $H/v1/auth/otp -H 'content-type: application/json' -d "{\"phone\":\"$PHONE\"}" >/dev/null
  CODE=$(curl -sf $H/_local/outbox | python3 -c '
import json, re, sys
m = [m for m in json.load(sys.stdin)["messages"] if m["channel"] == "sms" and m["to"] == sys.argv[1]][-1]
print(re.search(r"\b\d{6}\b", m["body"]).group())' "$PHONE")
  TOKEN=$(curl -sf -X POST $H/v1/auth/otp/verify -H 'content-type: application/json' \
    -d "{\"phone\":\"$PHONE\",\"code\":\"$CODE\"}" | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
  echo "token (BENCH_TOKEN=...): $TOKEN" >&2
fi
for path in "/v1/customers?limit=50" /v1/me /v1/no-such-path; do
  echo "== GET $path"
  wrk -t2 -c64 -d20s --latency -H "authorization: Bearer $TOKEN" "$H$path" |
    grep -E "Requests/sec|  50%|  99%|Non-2xx" || true
done
