#!/usr/bin/env bash
# Install the front-end packages from package-lock.json and copy what the chat
# page needs into api/static/vendor/ (gitignored, rebuilt at install time).
#
# - `npm ci` runs only when node_modules does not match the lock file, so the
#   script is cheap to call from `make run` / `make test`.
# - The NHS.UK stylesheet is rewritten so the page makes no third-party
#   requests: the @font-face rules that load Frutiger from assets.nhs.uk are
#   dropped (the stack falls back to Arial), and the absolute /assets/ image
#   paths point at the local copy.
# - axe-core stays in node_modules: only the browser tests use it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

command -v npm >/dev/null 2>&1 || {
    echo "frontend: npm is not installed; install Node.js 18+ (apt-get install -y nodejs npm)" >&2
    exit 1
}

STAMP="node_modules/.navigator-lock.sha256"
LOCK_SUM="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$LOCK_SUM" ] \
    && [ -d node_modules/nhsuk-frontend ] && [ -d node_modules/axe-core ] \
    && [ -d node_modules/swagger-ui-dist ]; then
    echo "frontend: node_modules matches package-lock.json, skipping npm ci"
else
    echo "frontend: npm ci (package-lock.json changed or node_modules missing)"
    npm ci --no-audit --no-fund --progress=true
    echo "$LOCK_SUM" > "$STAMP"
fi

SRC="node_modules/nhsuk-frontend/dist/nhsuk"
DEST="api/static/vendor/nhsuk"
echo "frontend: copying NHS.UK frontend $(node -p "require('./node_modules/nhsuk-frontend/package.json').version") to $DEST"
rm -rf "$DEST"
mkdir -p "$DEST"
cp -R "$SRC/assets" "$DEST/assets"
cp "$SRC/nhsuk-frontend.min.js" "$DEST/nhsuk-frontend.min.js"
node - "$SRC/nhsuk-frontend.min.css" "$DEST/nhsuk-frontend.min.css" <<'JS'
const fs = require("fs");
const [src, dest] = process.argv.slice(2);
let css = fs.readFileSync(src, "utf8");
// Drop the web fonts served from assets.nhs.uk (third-party requests).
css = css.replace(/@font-face\{[^}]*assets\.nhs\.uk[^}]*\}/g, "");
// Point the absolute /assets/ paths at the local copy next to the stylesheet.
css = css.replace(/url\(\/assets\//g, "url(assets/");
css = css.replace(/\/\*# sourceMappingURL=[^*]*\*\//g, "");
if (/https?:\/\//.test(css.replace(/http:\/\/www\.w3\.org\/2000\/svg/g, ""))) {
  console.error("frontend: the stylesheet still references a remote URL");
  process.exit(1);
}
fs.writeFileSync(dest, css);
JS
# Swagger UI for the api docs at /docs, served locally like everything else.
SWAGGER="api/static/vendor/swagger-ui"
rm -rf "$SWAGGER"
mkdir -p "$SWAGGER"
cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
    node_modules/swagger-ui-dist/favicon-32x32.png "$SWAGGER/"
sed -i 's|//# sourceMappingURL=.*||' "$SWAGGER/swagger-ui-bundle.js"
echo "frontend: done"
