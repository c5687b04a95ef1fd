#!/usr/bin/env bash
# Builds the Lambda functions for arm64 (Graviton, provided.al2023) with one
# `cargo lambda build` over the functions crate and one target directory:
#
#   target/lambda/<route name>/bootstrap.zip     (template.yaml's CodeUri)
#
# Usage: bash infra/build-lambdas.sh [route name ...]    (none: every route)
#
# It installs what it needs on a fresh machine: the pinned cargo-lambda
# (from PyPI, with zig as the cross linker) into .venv, and Rust's
# aarch64-unknown-linux-gnu target through rustup. The build uses the
# `release` profile and leaves the `local` feature (SQLite, the outbox)
# off, so each binary links only its own route.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
if ! "$venv/bin/cargo-lambda" --version >/dev/null 2>&1; then
  echo "== installing the pinned tools into $venv (infra/requirements.txt)"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r infra/requirements.txt
fi
if ! rustup target list --installed | grep -qx aarch64-unknown-linux-gnu; then
  echo "== adding the aarch64-unknown-linux-gnu target (rustup)"
  rustup target add aarch64-unknown-linux-gnu
fi

# cargo-lambda finds zig through the venv's Python (the ziglang package).
export PATH="$PWD/$venv/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

bins=()
for name in "$@"; do
  [ -f "functions/src/bin/$name.rs" ] || { echo "no route named $name" >&2; exit 2; }
  bins+=(--bin "$name")
done

start=$(date +%s)
cargo lambda build --release --arm64 --output-format zip -p hisaab-functions "${bins[@]}"
what="every function"
[ ${#bins[@]} -eq 0 ] || what="$(( ${#bins[@]} / 2 )) functions"
echo "== built $what in $(( $(date +%s) - start )) s: $CARGO_TARGET_DIR/lambda/<name>/bootstrap.zip"
