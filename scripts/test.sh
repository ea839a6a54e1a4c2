#!/usr/bin/env bash
# Install everything the tests need (venv, pip, apt), check lint, format and types, then run the whole suite.
# Fast tier while developing: .venv/bin/python -m pytest -m "not slow" (fake embedder, no external programs).
# pytest exits 5 when it collects no test; like any non-zero exit, that fails this script.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/system-deps.sh
scripts/install.sh test
.venv/bin/ruff check aligner devtools tests benchmarks
.venv/bin/ruff format --check aligner devtools tests benchmarks
.venv/bin/mypy
exec .venv/bin/python -m pytest -q -rs "$@"
