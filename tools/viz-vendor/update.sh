#!/bin/sh
# Vendor the WebGL renderer of the large network pages into viz/static/vendor from the
# npm registry, so the pages stay one offline file (viz.webgl inlines these files).
#
# package.json pins sigma and graphology exactly; package-lock.json pins every tarball's
# sha512 integrity, which `npm ci` checks. Both packages publish a minified browser build
# (UMD: globals `Sigma` and `graphology`), so nothing is bundled here: the builds are
# copied as published, with each package's licence, minus graphology's trailing
# `//# sourceMappingURL=` comment (the map is not shipped, so a browser's developer tools
# would ask for a file that is not there). SHA256SUMS then records every vendored file,
# and tests/unit/test_viz_vendor.py checks the committed files against it.
#
# To update: change the versions in package.json, `npm install --package-lock-only`,
# run `make viz-assets`, update viz/static/vendor/README.md, run the viz tests.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DEST="$ROOT/viz/static/vendor"

command -v npm >/dev/null 2>&1 || { echo "npm not found: cannot fetch the renderer" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp "$HERE/package.json" "$HERE/package-lock.json" "$WORK/"
(cd "$WORK" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null)

# package  build (inside the package)  vendored name
FILES='
sigma dist/sigma.min.js sigma.min.js
graphology dist/graphology.umd.min.js graphology.umd.min.js
'
mkdir -p "$DEST"
find "$DEST" -type f ! -name README.md -delete
: >"$DEST/VERSIONS"
echo "$FILES" | while read -r pkg build name; do
  [ -n "$pkg" ] || continue
  src="$WORK/node_modules/$pkg"
  sed '/^\/\/# sourceMappingURL=/d' "$src/$build" >"$DEST/$name"
  cp "$src/LICENSE.txt" "$DEST/$pkg.LICENSE.txt"
  version=$(node -p "require('$src/package.json').version")
  integrity=$(node -p "require('$WORK/package-lock.json').packages['node_modules/$pkg'].integrity")
  echo "$pkg@$version $integrity $name" >>"$DEST/VERSIONS"
  echo "vendored $pkg@$version into viz/static/vendor/$name"
done
(cd "$DEST" && find . -type f ! -name SHA256SUMS ! -name README.md | sed 's|^\./||' | LC_ALL=C sort \
  | xargs sha256sum >SHA256SUMS)
echo "wrote viz/static/vendor/VERSIONS and SHA256SUMS"
