#!/usr/bin/env bash
# Install everything the tests need (venv, pip, apt), then run the whole suite.
# pytest exits 5 when it collects no test; like any non-zero exit, that fails this script.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/system-deps.sh
scripts/install.sh test
exec .venv/bin/python -m pytest -q -rs "$@"
