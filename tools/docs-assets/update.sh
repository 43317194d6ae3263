#!/bin/sh
# Vendor the API documentation pages' assets (Swagger UI at /docs, ReDoc at /redoc)
# into api/static/docs from the npm registry, so the pages work without internet.
#
# Each package is fetched at the exact version pinned below with `npm pack`, its
# tarball is checked against the pinned sha512 integrity (the registry's `dist.integrity`,
# recorded when the pin was made), and only the files the pages need are copied, with
# the package's licence; one line of ReDoc is changed (see PATCH_FILE below). SHA256SUMS then records every vendored file, and
# tests/unit/test_docs_assets.py checks the committed files against it.
#
# To update: `npm view <package>@<version> dist.integrity`, change the pin below, run
# `make docs-assets`, update the versions in api/static/docs/README.md and docs/api.md,
# and run tests/unit/test_docs_assets.py and tests/integration/test_api_docs_offline.py.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEST="$ROOT/api/static/docs"

# directory  package@version  integrity  files (path inside the package, space separated)
PINS='
swagger-ui swagger-ui-dist@5.35.0 sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ== swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css favicon-32x32.png LICENSE NOTICE
redoc redoc@2.5.4 sha512-M6jWhG1qoBnH6TFmzJnstyCZ87HmOY/UzDm78mHiYihEdlV/YcS9ogOo1NlElnJMeLsyxHFe2yFc4sNjHTrABQ== bundles/redoc.standalone.js bundles/redoc.standalone.js.LICENSE.txt LICENSE
'

# One change to a vendored file (file, text, replacement): ReDoc's sidebar credit
# ("API docs by Redocly") shows a logo it always loads from cdn.redoc.ly; it becomes an
# empty data: image, which fails to decode, so ReDoc hides it (its onError) and the
# credit link keeps its text. The text must occur exactly once, so an update that
# changes it stops here instead of shipping a page that reaches the network.
PATCH_FILE=redoc/redoc.standalone.js
PATCH_FROM='src:"https://cdn.redoc.ly/redoc/logo-mini.svg"'
PATCH_TO='src:"data:,"'

command -v npm >/dev/null 2>&1 || { echo "npm not found: cannot fetch the docs assets" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "$PINS" | while read -r dir spec integrity files; do
  [ -n "$dir" ] || continue
  mkdir -p "$WORK/$dir"
  (cd "$WORK/$dir" && npm pack "$spec" --silent --loglevel=error >/dev/null)
  tarball=$(ls "$WORK/$dir"/*.tgz)
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  if [ "$actual" != "$integrity" ]; then
    echo "$spec: integrity $actual, pinned $integrity: refusing to vendor it" >&2
    exit 1
  fi
  tar xzf "$tarball" -C "$WORK/$dir"
  rm -rf "${DEST:?}/$dir"
  mkdir -p "$DEST/$dir"
  for f in $files; do
    cp "$WORK/$dir/package/$f" "$DEST/$dir/$(basename "$f")"
  done
  echo "$dir $spec $integrity" >>"$WORK/VERSIONS"
  echo "vendored $spec into api/static/docs/$dir"
done

count=$(grep -oF "$PATCH_FROM" "$DEST/$PATCH_FILE" | wc -l)
if [ "$count" -ne 1 ]; then
  echo "$PATCH_FILE: expected $PATCH_FROM once, found it $count times: check for remote loads" >&2
  exit 1
fi
sed -i "s|$PATCH_FROM|$PATCH_TO|" "$DEST/$PATCH_FILE"
echo "patched $PATCH_FILE: $PATCH_FROM -> $PATCH_TO"

cp "$WORK/VERSIONS" "$DEST/VERSIONS"
(cd "$DEST" && find . -type f ! -name SHA256SUMS ! -name README.md | sed 's|^\./||' | LC_ALL=C sort \
  | xargs sha256sum >SHA256SUMS)
echo "wrote api/static/docs/VERSIONS and SHA256SUMS"
