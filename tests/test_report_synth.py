"""Generated report pairs with planted problems, through the real segmenter, aligner and model: every
planted omission, addition and changed number must come out as a finding at the right place."""

from __future__ import annotations

import json
import re

import pytest
from report_support import SHARED_DATA

from aligner.api import load_alignment as load_alignment_for_report
from aligner.report.build import build_report

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (SHARED_DATA / "parallel" / "ntrex128").is_dir(), reason=f"NTREX-128 text not found in {SHARED_DATA}"
    ),
]
_WORD = re.compile(r"\w+")


def _overlap(planted: str, found: str) -> float:
    words = set(_WORD.findall(planted.lower()))
    return len(words & set(_WORD.findall(found.lower()))) / max(1, len(words))


def test_planted_problems_in_a_generated_pair_are_reported(tmp_path):
    synth = pytest.importorskip("devtools.synth")
    pair = synth.generate_pair(
        tmp_path, source="ntrex", target_pages=6, seed=1, plant_number_changes=3, data_dir=SHARED_DATA
    )
    problems = json.loads(pair.problems_json.read_text(encoding="utf-8"))
    alignment = load_alignment_for_report([pair.en_pdf, pair.cy_pdf], cache_dir=tmp_path / "cache")
    report = build_report(alignment)

    untranslated = [f for f in report.findings if f.kind == "untranslated"]
    added = [f for f in report.findings if f.kind == "added"]
    numbers = [f for f in report.findings if f.kind == "number_mismatch"]
    assert problems["omissions"] and problems["additions"] and len(problems["number_changes"]) == 3
    for p in problems["omissions"]:
        assert any(_overlap(p["en"], f.en_text) > 0.8 and f.severity == "high" for f in untranslated), p["en"]
    for p in problems["additions"]:
        assert any(_overlap(p["cy"], f.cy_text) > 0.8 and f.severity == "high" for f in added), p["cy"]
    for p in problems["number_changes"]:
        assert any(
            _overlap(p["en"], f.en_text) > 0.8
            and any(p["cy_number"] in m for m in f.cy_marks)
            and any(p["en_number"] in m for m in f.en_marks)
            for f in numbers
        ), p
    assert report.counts()["english_in_welsh"] == report.counts()["welsh_in_english"] == 0
