#!/usr/bin/env bash
# Measures the Lambda functions for docs/benchmarks.md:
#   1. the cold build of every arm64 zip (an empty target directory,
#      target/measure, with the crates already in cargo's download cache),
#      with one `cargo lambda build` as infra/build-lambdas.sh runs it;
#   2. every zip's size against the budget (infra/check_lambdas.py sizes);
#   3. start-up, spawn to the first `GET /runtime/invocation/next` against a
#      fake Lambda Runtime API, 20 starts each (infra/measure_startup.py), of
#      five functions built natively with the same release profile (this
#      machine cannot run arm64 at native speed) and, in the same run, of a
#      Node 20 function with the AWS SDK v3 DynamoDB client
#      (infra/startup/node-function.mjs).
# Usage: bash infra/measure-lambdas.sh [--warm]   (--warm keeps target/measure)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="$PWD/target/measure"
[ "${1:-}" = "--warm" ] || rm -rf "$CARGO_TARGET_DIR"

echo "== 1. every function's zip, cold"
start=$(date +%s)
bash infra/build-lambdas.sh
echo "cold build of every zip: $(( $(date +%s) - start )) s on $(nproc) cores"

echo "== 2. sizes"
.venv/bin/python infra/check_lambdas.py sizes || true

echo "== 3. start-up, native builds of the same release profile, and Node 20"
bins=(get_me create_invoice register invoice_pdf openapi)
args=()
for b in "${bins[@]}"; do args+=(--bin "$b"); done
cargo build --release --quiet -p hisaab-functions "${args[@]}"
(cd infra/startup && npm install --no-audit --no-fund --silent)
for b in "${bins[@]}"; do
  python3 infra/measure_startup.py --runs 20 "$CARGO_TARGET_DIR/release/$b"
done
python3 infra/measure_startup.py --runs 20 node infra/startup/node-function.mjs
