#!/usr/bin/env bash
# Runs every test of Hisaab, on a fresh machine too:
#   1. a Python venv (.venv) with the pinned moto server and cfn-lint, and
#      Debian's poppler-utils and zbar-tools (the PDF tests read invoices
#      back with pdftotext, pdftoppm and zbarimg);
#   2. moto's server on a free 127.0.0.1 port, one request at a time
#      (infra/moto_server.py says why; stopped whatever happens);
#   3. cargo fmt and clippy checks;
#   4. cargo test for the whole workspace, against SQLite and DynamoDB-on-moto;
#   5. every Lambda binary compiled;
#   6. cfn-lint on template.yaml.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
if ! "$venv/bin/python" -c 'import moto, cfnlint' 2>/dev/null; then
  echo "== installing test tools into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r infra/requirements.txt
fi

if ! command -v pdftotext >/dev/null || ! command -v pdftoppm >/dev/null || ! command -v zbarimg >/dev/null; then
  echo "== installing poppler-utils and zbar-tools (apt)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq poppler-utils zbar-tools >/dev/null
fi

port=$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p target
"$venv/bin/python" infra/moto_server.py 127.0.0.1 "$port" > target/moto.log 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  if "$venv/bin/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/')" 2>/dev/null; then break; fi
  sleep 0.2
done
echo "== moto on 127.0.0.1:$port"

export HISAAB_TEST_DYNAMODB_ENDPOINT="http://127.0.0.1:$port"
export HISAAB_REQUIRE_DYNAMODB=1
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings
echo "== cargo test (SQLite and DynamoDB on moto)"
cargo test --workspace --no-fail-fast
echo "== every Lambda binary compiles"
cargo build --workspace --bins --quiet
echo "== cfn-lint template.yaml"
"$venv/bin/cfn-lint" template.yaml
echo "== all checks passed"
