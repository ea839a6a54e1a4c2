#!/usr/bin/env bash
# Debian packages the tests drive for real: OmegaT (a CAT tool, console mode), headless Chromium and
# LibreOffice Writer (exports the synthetic benchmark's Word documents to PDF; about 60 packages, 50 s).
# Installs them when running as root with apt; otherwise those tests skip and say why.
set -euo pipefail
packages="omegat chromium libreoffice-writer-nogui"
missing=""
for p in $packages; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq $missing >/dev/null
else
    echo "note: not root or no apt: skipping install of$missing (their tests will skip)" >&2
fi
