#!/usr/bin/env bash
# Re-judges reports/sample/results.json by today's rules and re-renders its four reports (after `npm run build`).
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/upgrade-sample.mjs reports/sample/results.json
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
node bin/isobench.js report reports/sample/results.json --format md --out "$out/md"
node bin/isobench.js report reports/sample/results.json --format html --out "$out/html"
cp "$out"/md/report.md "$out"/md/report.ko.md "$out"/html/report.html "$out"/html/report.ko.html reports/sample/
