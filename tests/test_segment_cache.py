"""Segmented PDFs are cached by content, language and segmenter code, and never served stale."""

from __future__ import annotations

import gzip
import shutil

import aligner.segmentation.cache as cache_mod
import aligner.segmentation.pipeline as pipeline_mod
from aligner.api import segment
from aligner.cli import app
from aligner.segmentation.cache import CACHE_SUBDIR, DocumentCache
from tests.conftest import DEMO

EN_PDF = DEMO / "fixed-recall.en.pdf"


def _count_segmentations(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = pipeline_mod._segment_file

    def counting(p, lang, progress):
        calls.append(p.name)
        return real(p, lang, progress)

    monkeypatch.setattr(pipeline_mod, "_segment_file", counting)
    return calls


def test_second_segmentation_comes_from_the_cache_and_equals_a_fresh_one(tmp_path, monkeypatch):
    calls = _count_segmentations(monkeypatch)
    first = segment(EN_PDF, cache_dir=tmp_path)
    copy = tmp_path / "renamed.pdf"
    shutil.copy(EN_PDF, copy)
    second = segment(copy, cache_dir=tmp_path)
    assert calls == [EN_PDF.name]  # same bytes under another name: read from the cache
    assert second.path == str(copy)
    assert second.blocks == first.blocks and second.removed == first.removed
    assert second.n_pages == first.n_pages and second.lang == first.lang
    fresh = segment(EN_PDF, use_cache=False)
    assert fresh.blocks == second.blocks  # exact round trip: bboxes and font sizes unrounded
    assert len(calls) == 2


def test_language_bytes_and_code_fingerprint_are_part_of_the_key(tmp_path, monkeypatch):
    calls = _count_segmentations(monkeypatch)
    segment(EN_PDF, cache_dir=tmp_path)
    segment(EN_PDF, lang="cy", cache_dir=tmp_path)
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(EN_PDF.read_bytes() + b"\n% appended comment\n")
    segment(changed, cache_dir=tmp_path)
    monkeypatch.setattr(cache_mod, "segmenter_fingerprint", lambda: "another segmenter")
    segment(EN_PDF, cache_dir=tmp_path)
    assert len(calls) == 4


def test_a_damaged_entry_is_segmented_again_and_replaced(tmp_path, monkeypatch):
    segment(EN_PDF, cache_dir=tmp_path)
    (entry,) = (tmp_path / CACHE_SUBDIR).glob("*.json.gz")
    entry.write_bytes(gzip.compress(b"{not json"))
    calls = _count_segmentations(monkeypatch)
    doc = segment(EN_PDF, cache_dir=tmp_path)
    assert calls == [EN_PDF.name] and doc.blocks
    assert DocumentCache(tmp_path).get(entry, EN_PDF) is not None


def test_no_cache_writes_nothing(tmp_path):
    from typer.testing import CliRunner

    out = tmp_path / "blocks.tsv"
    result = CliRunner().invoke(
        app, ["segment", str(EN_PDF), "-o", str(out), "--cache-dir", str(tmp_path / "c"), "--no-cache", "-q"]
    )
    assert result.exit_code == 0, result.output
    assert out.is_file() and not (tmp_path / "c").exists()
    result = CliRunner().invoke(
        app, ["segment", str(EN_PDF), "-o", str(out), "--cache-dir", str(tmp_path / "c"), "-q", "--force"]
    )
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "c" / CACHE_SUBDIR).glob("*.json.gz"))) == 1


def test_an_unwritable_cache_costs_speed_not_the_result(tmp_path, capsys):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    doc = segment(EN_PDF, cache_dir=blocker)
    assert doc.blocks
    assert "could not cache" in capsys.readouterr().err
