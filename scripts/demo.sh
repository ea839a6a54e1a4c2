#!/usr/bin/env bash
# Install, then align the sample pair in data/ and write TSV, TMX and the coverage report into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
mkdir -p out
pair=data/moj-fixed-recall
.venv/bin/aligner align "$pair/fixed-recall.en.pdf" "$pair/fixed-recall.cy.pdf" \
    -o out/fixed-recall.tsv -o out/fixed-recall.tmx --force
.venv/bin/aligner report out/fixed-recall.tsv -o out/fixed-recall.report.html --force
echo "wrote out/fixed-recall.tsv, out/fixed-recall.tmx, out/fixed-recall.report.html"
