#!/bin/sh
# Copies the npm-installed front-end assets we serve into static/vendor/ (git-ignored).
# Shared by `make assets` and the Dockerfile's Node stage. Run after `npm ci`.
set -eu
cd "$(dirname "$0")/.."
out=static/vendor
rm -rf "$out"
mkdir -p "$out/designsystemet" "$out/inter/files"
ds=node_modules/@digdir/designsystemet-css/dist
cp "$ds/src/index.css" "$out/designsystemet/designsystemet.css"
cp "$ds/theme/designsystemet.css" "$out/designsystemet/theme.css"
inter=node_modules/@fontsource/inter
: > "$out/inter/inter.css"
for weight in 400 500 600 700; do
  cat "$inter/latin-$weight.css" "$inter/latin-ext-$weight.css" >> "$out/inter/inter.css"
  cp "$inter"/files/inter-latin-$weight-normal.woff2 "$inter"/files/inter-latin-$weight-normal.woff \
     "$inter"/files/inter-latin-ext-$weight-normal.woff2 "$inter"/files/inter-latin-ext-$weight-normal.woff "$out/inter/files/"
done
echo "assets: $(find "$out" -type f | wc -l) files in $out"
