#!/usr/bin/env bash
# Pins the agent image that .github/workflows/agent-release.yml pushed: rewrites the one line of
# model/plan/platform-images.ts that holds the released digest, and nothing else. Usage:
#   scripts/pin-agent-image.sh sha256:<64 hex> [file]
set -euo pipefail
digest="${1:-}"
file="${2:-model/plan/platform-images.ts}"
if ! [[ "$digest" =~ ^sha256:[a-f0-9]{64}$ ]]; then
  echo "pin-agent-image: \"$digest\" is not a sha256 manifest digest (sha256:<64 lowercase hex>)" >&2
  exit 2
fi
line='^const releasedDigest: Digest = (null|"sha256:[a-f0-9]{64}");$'
count="$(grep -cE "$line" "$file" || true)"
if [ "$count" != 1 ]; then
  echo "pin-agent-image: $file has $count releasedDigest lines, expected exactly 1" >&2
  exit 1
fi
sed -i -E "s/$line/const releasedDigest: Digest = \"$digest\";/" "$file"
