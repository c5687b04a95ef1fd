#!/usr/bin/env bash
# Builds every Lambda binary with the `ci` profile (release code, no LTO)
# for this machine's architecture and prints the build time and each
# binary's size. Deployment builds use `cargo lambda build --release --arm64`
# (thin LTO), which are somewhat smaller. Usage: bash infra/measure-binaries.sh
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
cargo build --profile ci -p hisaab-functions --bins --quiet
echo "build: $(( $(date +%s) - start )) s (cargo build --profile ci -p hisaab-functions --bins)"
total=0
for f in functions/src/bin/*.rs; do
  name=$(basename "$f" .rs)
  size=$(stat -c %s "target/ci/$name")
  total=$(( total + size ))
  printf '%-22s %6.1f MiB\n' "$name" "$(echo "$size / 1048576" | bc -l)"
done
printf 'all %d binaries: %.1f MiB\n' "$(ls functions/src/bin/*.rs | wc -l)" "$(echo "$total / 1048576" | bc -l)"
