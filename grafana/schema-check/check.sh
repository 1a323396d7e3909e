#!/usr/bin/env bash
# Type-checks each dashboard in grafana/dashboards against @grafana/schema's Dashboard type:
# each JSON is wrapped as `const dashboard: Loose<Dashboard> = {...}` and compiled with `tsc --noEmit --strict`,
# so unknown properties and wrong types fail. Installs @grafana/schema@13.2.3 and typescript@5 once into
# target/grafana-schema (npm registry).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$root/target/grafana-schema"
mkdir -p "$work"
cd "$work"
if [ ! -x node_modules/.bin/tsc ] || [ ! -d node_modules/@grafana/schema ]; then
  [ -f package.json ] || echo '{"name":"replyclock-grafana-schema-check","private":true}' > package.json
  npm install --no-audit --no-fund --silent @grafana/schema@13.2.3 typescript@5 >&2
fi
cp "$root/grafana/schema-check/loose.ts" .
files=()
for json in "$root"/grafana/dashboards/*.json; do
  name="$(basename "$json" .json)"
  {
    echo "import type { Dashboard } from '@grafana/schema';"
    echo "import type { Loose } from './loose';"
    printf 'export const dashboard: Loose<Dashboard> = '
    cat "$json"
    echo ';'
  } > "$name.ts"
  files+=("\"$name.ts\"")
done
cat > tsconfig.json <<JSON
{"compilerOptions": {"strict": true, "noEmit": true, "target": "ES2020", "module": "ESNext",
  "moduleResolution": "bundler", "skipLibCheck": true}, "files": [$(IFS=,; echo "${files[*]}")]}
JSON
node_modules/.bin/tsc --noEmit --strict -p tsconfig.json
echo "dashboards match @grafana/schema: ${files[*]}"
