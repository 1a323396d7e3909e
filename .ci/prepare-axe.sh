#!/usr/bin/env bash
# Installs axe-core (Deque, MPL-2.0) for the browser tests that check the wall's contrast (WCAG AA):
# target/axe-core/axe.min.js, injected into the page through the DevTools protocol. Does nothing when
# it is already there.
set -euo pipefail

PACKAGE="axe-core@4.14.1"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/target/axe-core"

if [ -s "$DEST/axe.min.js" ]; then
  echo "axe-core already in $DEST"
  exit 0
fi
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent "$PACKAGE" > /dev/null)
tar -xzf "$TMP"/*.tgz -C "$TMP" package/axe.min.js package/LICENSE
mkdir -p "$DEST"
mv "$TMP/package/axe.min.js" "$TMP/package/LICENSE" "$DEST/"
echo "axe-core: $(head -c 60 "$DEST/axe.min.js" | head -1) in $DEST"
