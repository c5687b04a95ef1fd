#!/usr/bin/env bash
# Publishes the web app to the stack's WebBucket behind CloudFront:
# builds web/dist, uploads the content-hashed files (the JavaScript and
# CSS Angular names by their hash) with a year's immutable caching, the
# rest (favicon, licences) for five minutes, and index.html last with
# `no-cache`, so a new release shows at the next load and never mixes
# with old chunks; then invalidates index.html at the edge.
# Needs the AWS CLI (v2) with credentials, and a deployed stack.
# Usage: bash infra/deploy-web.sh [STACK_NAME]   (default: hisaab-dev)
set -euo pipefail
cd "$(dirname "$0")/.."
stack=${1:-hisaab-dev}
output() {
  aws cloudformation describe-stacks --stack-name "$stack" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}
bucket=$(output WebBucketName)
distribution=$(output WebDistributionId)
[ -n "$bucket" ] && [ "$bucket" != "None" ] || { echo "stack $stack has no WebBucketName output" >&2; exit 1; }

(cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build && npm run size)

aws s3 sync web/dist "s3://$bucket" --exclude "*" --include "*-????????.js" --include "*-????????.css" --include "media/*" \
  --cache-control "public, max-age=31536000, immutable"
aws s3 sync web/dist "s3://$bucket" --exclude "*-????????.js" --exclude "*-????????.css" --exclude "media/*" --exclude index.html \
  --cache-control "public, max-age=300"
aws s3 cp web/dist/index.html "s3://$bucket/index.html" --cache-control "no-cache" --content-type "text/html; charset=utf-8"
# Old chunks stay a while for pages still open; remove what no release
# names any more with: aws s3 sync web/dist s3://$bucket --delete
aws cloudfront create-invalidation --distribution-id "$distribution" --paths /index.html / > /dev/null
echo "published to $(output WebUrl)"
