#!/usr/bin/env bash
# The server of the browser tests: a fresh data directory with five
# platform admins (two L1, senior, two super), then `hisaab serve` of the
# built app without its schedules (a test runs a job with
# `POST /_local/jobs/<name>` when it wants it, never by surprise).
# HISAAB_BIN is the hisaab binary (default: the workspace's debug build).
# E2E_WEB_DIR is the built app to serve (default: dist).
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-3100}
bin=${HISAAB_BIN:-../target/debug/hisaab}
data=$(mktemp -d /tmp/hisaab-e2e.XXXXXX)
"$bin" admin create --data-dir "$data" --phone +919000000001 --name "Lata L1" --level l1 > /dev/null
"$bin" admin create --data-dir "$data" --phone +919000000002 --name "Sunil Senior" --level senior > /dev/null
"$bin" admin create --data-dir "$data" --phone +919000000003 --name "Meera Super" --level super > /dev/null
"$bin" admin create --data-dir "$data" --phone +919000000004 --name "Kiran L1" --level l1 > /dev/null
"$bin" admin create --data-dir "$data" --phone +919000000005 --name "Ravi Super" --level super > /dev/null
exec "$bin" serve --addr "127.0.0.1:$port" --data-dir "$data" --web-dir "${E2E_WEB_DIR:-dist}" --no-schedules
