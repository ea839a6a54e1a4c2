"""Batch processing on real PDFs: pairing by name and by language, a resumable batch with a corrupt
PDF among good ones, half-written pairs, the CLI, and a Dask cluster giving the local run's output.

The pairs come from the bundled demo pair (data/moj-fixed-recall) and, for the batch runs, the small
real pairs in ../shared/data/pdf (skipped when that folder is absent), copied under other names.
The real embedding model runs with one session cache, so each text is embedded once.
"""

from __future__ import annotations

import csv
import filecmp
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from aligner.batch import find_pairs, read_manifest, run_batch, write_manifest
from aligner.batch.pairing import Pair, unpaired_path
from aligner.batch.pipeline import InputError
from aligner.batch.runner import MARKER_NAME, PAIRS_DIR, output_names
from devtools.devdata import shared_data_dir

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "data" / "moj-fixed-recall"
DEMO_EN, DEMO_CY = DEMO / "fixed-recall.en.pdf", DEMO / "fixed-recall.cy.pdf"
SHARED = shared_data_dir()
PDF = SHARED / "pdf"
needs_shared = pytest.mark.skipif(
    not (PDF / "mas-annuity-transcripts").is_dir() or not (PDF / "hmcts-forms").is_dir(),
    reason="shared real PDFs not available",
)
SMALL_PAIRS = {  # id -> (English, Welsh): 1-page real pairs
    "health": ("mas-annuity-transcripts/health.en.pdf", "mas-annuity-transcripts/health.cy.pdf"),
    "joint": (
        "mas-annuity-transcripts/single-vs-joint.en.pdf",
        "mas-annuity-transcripts/single-vs-joint.cy.pdf",
    ),
    "annex1": ("hmcts-forms/annex1.en.pdf", "hmcts-forms/annex1.cy.pdf"),
}


def _copy(src: Path, dst: Path) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    return dst


# --- pairing ------------------------------------------------------------------------------------

NAMING_CASES = [  # folder, English name, Welsh name, method
    ("dots", "report.en.pdf", "report.cy.pdf", "code-suffix"),
    ("bare", "report.pdf", "report-cy.pdf", "code-suffix+unmarked-en"),
    ("underscore", "Report_EN.PDF", "Report_CY.PDF", "code-suffix"),
    ("words", "Annual-Report-English.pdf", "Annual-Report-Welsh.pdf", "language-word"),
    ("welsh-word", "plan_english.pdf", "plan_welsh.pdf", "language-word"),
    ("cymraeg", "strategy-en.pdf", "strategy-cymraeg.pdf", "code-suffix/language-word"),
    ("bare-welsh", "notice.pdf", "notice Welsh.pdf", "language-word+unmarked-en"),
    ("infix", "report.en.final.pdf", "report.cy.final.pdf", "code-infix"),
    ("letters", "leaflet-e.pdf", "leaflet-w.pdf", "letter-suffix"),
    ("prefix", "EN_leaflet.pdf", "CY_leaflet.pdf", "code-prefix"),
    ("folders", "en/guide.pdf", "cy/guide.pdf", "folder"),
    ("unmarked-welsh", "form-en.pdf", "form.pdf", "code-suffix+detected-cy"),  # the text says Welsh
]


def test_pairing_by_each_naming_rule(tmp_path):
    for folder, en, cy, _ in NAMING_CASES:
        _copy(DEMO_EN, tmp_path / folder / en)
        _copy(DEMO_CY, tmp_path / folder / cy)
    result = find_pairs(tmp_path)
    assert result.unpaired == []
    found = {
        (p.en.relative_to(tmp_path).as_posix(), p.cy.relative_to(tmp_path).as_posix()): p.method for p in result.pairs
    }
    expected = {(f"{folder}/{en}", f"{folder}/{cy}"): method for folder, en, cy, method in NAMING_CASES}
    assert found == expected
    ids = [p.id for p in result.pairs]
    assert len(set(ids)) == len(ids)
    assert "folders__guide" in ids and "dots__report" in ids


def test_pairing_by_language_when_names_do_not_tell(tmp_path):
    _copy(DEMO_EN, tmp_path / "one" / "recall-leaflet.pdf")
    _copy(DEMO_CY, tmp_path / "one" / "taflen-adalw.pdf")
    for year in ("2023", "2024"):  # two of each: the numbers in the names match them
        _copy(DEMO_EN, tmp_path / "two" / f"summary {year}.pdf")
        _copy(DEMO_CY, tmp_path / "two" / f"crynodeb {year}.pdf")
    for name in ("alpha", "beta"):  # two of each and nothing to match them by
        _copy(DEMO_EN, tmp_path / "three" / f"{name}.pdf")
        _copy(DEMO_CY, tmp_path / "three" / f"{name}-fersiwn.pdf")
    calls: list[Path] = []

    def detect(path: Path) -> str | None:
        from aligner.batch.pipeline import detect_language

        calls.append(path)
        return detect_language(path)  # the real default, on the first pages

    result = find_pairs(tmp_path, detect_language=detect)
    pairs = {
        p.en.relative_to(tmp_path).as_posix(): (p.cy.relative_to(tmp_path).as_posix(), p.method) for p in result.pairs
    }
    assert pairs == {
        "one/recall-leaflet.pdf": ("one/taflen-adalw.pdf", "language-detection"),
        "two/summary 2023.pdf": ("two/crynodeb 2023.pdf", "language-detection+numbers"),
        "two/summary 2024.pdf": ("two/crynodeb 2024.pdf", "language-detection+numbers"),
    }
    assert len(calls) == len(set(calls)) == 10  # each unmarked file read once
    reasons = {u.path.name: u.reason for u in result.unpaired}
    assert set(reasons) == {"alpha.pdf", "beta.pdf", "alpha-fersiwn.pdf", "beta-fersiwn.pdf"}
    assert "do not say which go together" in reasons["alpha.pdf"]
    assert reasons["beta-fersiwn.pdf"].startswith("Welsh by its first pages")


def test_unpaired_files_are_listed_with_a_reason_in_the_manifest_sidecar(tmp_path):
    archive = tmp_path / "archive"
    _copy(DEMO_EN, archive / "report.en.pdf")
    _copy(DEMO_CY, archive / "report.cy.pdf")
    _copy(DEMO_CY, archive / "orphan-cy.pdf")
    _copy(DEMO_EN, archive / "form.bilingual.pdf")
    (archive / "notes.pdf").write_text("not a PDF at all\n")
    (archive / "readme.txt").write_text("ignored: not a PDF\n")
    result = find_pairs(archive, detect_language=lambda p: None)
    assert [(p.id, p.en.name, p.cy.name) for p in result.pairs] == [("report", "report.en.pdf", "report.cy.pdf")]
    reasons = {u.path.name: u.reason for u in result.unpaired}
    assert set(reasons) == {"orphan-cy.pdf", "form.bilingual.pdf", "notes.pdf"}
    assert "no English file" in reasons["orphan-cy.pdf"]
    assert "bilingual" in reasons["form.bilingual.pdf"]
    assert "not a PDF" in reasons["notes.pdf"]

    manifest = archive / "manifest.csv"
    side = write_manifest(result, manifest)
    assert side == unpaired_path(manifest) == archive / "manifest.unpaired.csv"
    rows = list(csv.DictReader(manifest.open(encoding="utf-8")))
    assert rows == [{"id": "report", "en": "report.en.pdf", "cy": "report.cy.pdf", "method": "code-suffix"}]
    listed = {r["path"]: r["reason"] for r in csv.DictReader(side.open(encoding="utf-8"))}
    assert set(listed) == {"orphan-cy.pdf", "form.bilingual.pdf", "notes.pdf"}
    assert read_manifest(manifest) == [
        Pair("report", archive / "report.en.pdf", archive / "report.cy.pdf", "code-suffix")
    ]


@pytest.mark.parametrize(
    "text, needle",
    [
        ("id,english,welsh\na,x.pdf,y.pdf\n", "needs columns id,en,cy"),
        ("id,en,cy\na,x.pdf,y.pdf\na,z.pdf,w.pdf\n", "used twice"),
        ("id,en,cy\nbad id,x.pdf,y.pdf\n", "must be letters"),
        ("id,en,cy\n", "no pairs"),
    ],
)
def test_bad_manifest_is_one_clear_error(tmp_path, text, needle):
    path = tmp_path / "m.csv"
    path.write_text(text)
    with pytest.raises(InputError, match=needle):
        read_manifest(path)


# --- batch runs ---------------------------------------------------------------------------------


def _archive(root: Path, corrupt: bool = True) -> Path:
    """Small real pairs renamed, and optionally a pair whose English PDF is cut off; returns the manifest."""
    rows = []
    for pid, (en, cy) in SMALL_PAIRS.items():
        rows.append(
            (
                pid,
                _copy(PDF / en, root / "in" / f"{pid}.en.pdf"),
                _copy(PDF / cy, root / "in" / f"{pid}.cy.pdf"),
            )
        )
    if corrupt:
        bad = root / "in" / "broken.en.pdf"
        bad.parent.mkdir(parents=True, exist_ok=True)
        bad.write_bytes((PDF / SMALL_PAIRS["health"][0]).read_bytes()[:1500])  # a truncated download
        rows.insert(1, ("broken", bad, _copy(PDF / SMALL_PAIRS["health"][1], root / "in" / "broken.cy.pdf")))
    manifest = root / "manifest.csv"
    write_manifest(find_pairs(root / "in", detect_language=lambda p: None), manifest)
    assert {r["id"] for r in csv.DictReader(manifest.open())} == {r[0] for r in rows}
    return manifest


def _outputs(outdir: Path, pid: str) -> dict[str, Path]:
    return {k: outdir / PAIRS_DIR / pid / v for k, v in output_names(pid).items()}


@pytest.fixture(scope="module")
def first_run(tmp_path_factory, embedding_cache):
    """One batch over 3 good pairs and a corrupt one (2 local workers)."""
    if not (PDF / "mas-annuity-transcripts").is_dir():
        pytest.skip("shared real PDFs not available")
    root = tmp_path_factory.mktemp("batch")
    manifest = _archive(root)
    outdir = root / "out"
    summary = run_batch(manifest, outdir, workers=2, cache_dir=embedding_cache, progress=False)
    return manifest, outdir, summary


@needs_shared
def test_corrupt_pdf_is_reported_and_the_rest_is_aligned(first_run, tmp_path, embedding_cache):
    manifest, outdir, summary = first_run
    by_id = {r.id: r for r in summary.rows}
    assert [r.id for r in summary.rows] == ["annex1", "broken", "health", "joint"]  # manifest order
    assert (summary.aligned, summary.failed, summary.skipped) == (3, 1, 0)
    broken = by_id["broken"]
    assert broken.status == "failed" and "broken.en.pdf" in broken.error and "\n" not in broken.error
    assert not (outdir / PAIRS_DIR / "broken").exists()
    for pid in SMALL_PAIRS:
        row = by_id[pid]
        assert row.status == "ok" and row.pages_en == row.pages_cy == 1
        assert row.links_1_1 > 0 and row.aligned_share is not None and row.aligned_share > 0.9
        assert 0.5 < (row.mean_confidence or 0) <= 1.0
        assert all(p.is_file() for p in _outputs(outdir, pid).values())
        assert (outdir / PAIRS_DIR / pid / MARKER_NAME).is_file()
    assert not [p for p in (outdir / PAIRS_DIR).iterdir() if p.name.startswith(".")]  # no staging left

    table = list(csv.DictReader((outdir / "summary.csv").open(encoding="utf-8")))
    assert [r["status"] for r in table] == ["ok", "failed", "ok", "ok"]
    assert table[1]["error"] == broken.error
    assert {
        "pages_en",
        "links_1_0",
        "links_0_1",
        "links_merge",
        "aligned_share",
        "mean_confidence",
        "warnings",
        "seconds",
    } <= set(table[0])
    assert "failed" in summary.format_table() and "broken" in summary.format_table()

    # the corpus TMX: every pair's units, each tagged with its document, under the pairs' signature
    corpus = ET.parse(outdir / "corpus.tmx").getroot()
    units = corpus.findall("body/tu")
    per_pair = {pid: len(ET.parse(_outputs(outdir, pid)["tmx"]).getroot().findall("body/tu")) for pid in SMALL_PAIRS}
    assert len(units) == sum(per_pair.values())
    docs = [tu.find("prop").text for tu in units]
    assert [tu.find("prop").get("type") for tu in units] == ["x-document"] * len(units)
    assert {d: docs.count(d) for d in set(docs)} == per_pair
    assert len({tu.get("tuid") for tu in units}) == len(units)
    sig = [p.text for p in corpus.findall("header/prop") if p.get("type") == "x-aligner-signature"]
    pair_sig = [
        p.text
        for p in ET.parse(_outputs(outdir, "health")["tmx"]).getroot().findall("header/prop")
        if p.get("type") == "x-aligner-signature"
    ]
    assert sig == pair_sig and sig[0].startswith("aligner:")

    index = (outdir / "index.html").read_text(encoding="utf-8")
    for pid in SMALL_PAIRS:
        assert f'href="pairs/{pid}/{pid}.report.html"' in index
    assert "broken" in index and 'href="pairs/broken/' not in index

    # nothing else changes: the good pairs' outputs equal those of a batch without the corrupt pair
    clean = run_batch(
        [p for p in read_manifest(manifest) if p.id != "broken"],
        tmp_path / "clean",
        workers=1,
        cache_dir=embedding_cache,
        progress=False,
    )
    assert clean.failed == 0
    for pid in SMALL_PAIRS:
        for kind in ("tsv", "html", "json"):
            assert filecmp.cmp(_outputs(outdir, pid)[kind], _outputs(tmp_path / "clean", pid)[kind], shallow=False)


@needs_shared
def test_rerun_skips_finished_pairs_and_redoes_half_written_ones(first_run, embedding_cache):
    manifest, outdir, _ = first_run
    aligned: list[str] = []
    markers = {pid: (outdir / PAIRS_DIR / pid / MARKER_NAME).stat().st_mtime_ns for pid in SMALL_PAIRS}
    again = run_batch(
        manifest,
        outdir,
        workers=2,
        cache_dir=embedding_cache,
        progress=False,
        on_outcome=lambda o: aligned.append(o.id),
    )
    assert aligned == ["broken"]  # only the failed pair is tried again
    assert (again.aligned, again.skipped, again.failed) == (0, 3, 1)
    assert {r.id: r.status for r in again.rows}["health"] == "skipped"
    assert markers == {pid: (outdir / PAIRS_DIR / pid / MARKER_NAME).stat().st_mtime_ns for pid in SMALL_PAIRS}

    # half-written: outputs there (one cut short) but no done marker -> redone, and only that pair
    out = _outputs(outdir, "joint")
    good_tsv = out["tsv"].read_bytes()
    (outdir / PAIRS_DIR / "joint" / MARKER_NAME).unlink()
    out["tsv"].write_bytes(good_tsv[: len(good_tsv) // 2])
    (outdir / PAIRS_DIR / ".staging-joint-leftover").mkdir()  # what a killed run leaves
    # and a repaired input: the broken pair now has its real English PDF
    broken_en = manifest.parent / "in" / "broken.en.pdf"
    shutil.copyfile(PDF / SMALL_PAIRS["health"][0], broken_en)
    aligned.clear()
    third = run_batch(
        manifest,
        outdir,
        workers=2,
        cache_dir=embedding_cache,
        progress=False,
        on_outcome=lambda o: aligned.append(o.id),
    )
    assert sorted(aligned) == ["broken", "joint"]
    assert (third.aligned, third.skipped, third.failed) == (2, 2, 0)
    assert out["tsv"].read_bytes() == good_tsv
    assert not (outdir / PAIRS_DIR / ".staging-joint-leftover").exists()

    # a changed input invalidates its pair's marker
    shutil.copyfile(PDF / SMALL_PAIRS["joint"][0], broken_en)
    aligned.clear()
    run_batch(
        manifest,
        outdir,
        workers=1,
        cache_dir=embedding_cache,
        progress=False,
        on_outcome=lambda o: aligned.append(o.id),
    )
    assert aligned == ["broken"]


@needs_shared
def test_fail_fast_stops_at_the_first_failure(tmp_path, embedding_cache):
    manifest = _archive(tmp_path)
    pairs = read_manifest(manifest)
    pairs.sort(key=lambda p: p.id != "broken")  # the corrupt pair first
    summary = run_batch(pairs, tmp_path / "out", workers=1, fail_fast=True, cache_dir=embedding_cache, progress=False)
    assert summary.stopped_early
    assert [r.status for r in summary.rows] == ["failed", "not-run", "not-run", "not-run"]
    assert (tmp_path / "out" / "summary.csv").is_file() and (tmp_path / "out" / "index.html").is_file()


@needs_shared
def test_cli_pair_then_batch(tmp_path, embedding_cache):
    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "aligner", *args], check=False, capture_output=True, text=True, timeout=300
        )

    for pid in ("health", "annex1"):
        en, cy = SMALL_PAIRS[pid]
        _copy(PDF / en, tmp_path / "archive" / f"{pid}-English.pdf")
        _copy(PDF / cy, tmp_path / "archive" / f"{pid}-Welsh.pdf")
    manifest = tmp_path / "manifest.csv"
    proc = cli("pair", str(tmp_path / "archive"), "-o", str(manifest))
    assert proc.returncode == 0, proc.stderr
    assert "2 pairs, 0 unpaired" in proc.stderr
    proc = cli(
        "batch",
        str(manifest),
        "-o",
        str(tmp_path / "out"),
        "--workers",
        "2",
        "--cache-dir",
        str(embedding_cache),
    )
    assert proc.returncode == 0, proc.stderr
    assert "2 aligned, 0 already done, 0 failed" in proc.stdout
    proc = cli("batch", str(manifest), "-o", str(tmp_path / "out"), "--cache-dir", str(embedding_cache), "-q")
    assert proc.returncode == 0, proc.stderr

    for args, needle in [
        (("batch", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "o2")), "no such manifest"),
        (("pair", str(tmp_path / "nowhere"), "-o", str(tmp_path / "m2.csv")), "no such folder"),
        (("pair", str(tmp_path / "archive"), "-o", str(manifest)), "--force"),
    ]:
        proc = cli(*args)
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        assert proc.returncode == 2 and len(lines) == 1 and needle in lines[0], proc.stderr


def _fill_cache(args: tuple[str, int]) -> int:
    """Many processes writing and reading one embedding cache at once (the batch workers' situation)."""
    import numpy as np

    from aligner.alignment.embed import embed_texts

    class Fake:
        name, dim = "fake", 4

        def encode(self, texts):
            return np.array([[len(t), 1, 2, 3] for t in texts], dtype=np.float32)

    cache_dir, k = args
    for r in range(6):
        texts = [f"own {k} {r} {i}" for i in range(30)] + [f"shared {i}" for i in range(30)]
        assert embed_texts(texts, Fake(), cache_dir=cache_dir, batch_size=8).shape == (60, 4)
    return k


def test_one_embedding_cache_is_safe_for_concurrent_worker_processes(tmp_path):
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(4) as pool:
        assert sorted(pool.map(_fill_cache, [(str(tmp_path / "cache"), k) for k in range(4)])) == list(range(4))


@needs_shared
@pytest.mark.slow
def test_dask_cluster_gives_the_local_output(tmp_path, embedding_cache):
    distributed = pytest.importorskip("distributed")
    manifest = _archive(tmp_path, corrupt=False)
    local = run_batch(manifest, tmp_path / "local", workers=2, cache_dir=embedding_cache, progress=False)
    with (
        distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = run_batch(
            manifest, tmp_path / "dask", scheduler=client, cache_dir=tmp_path / "cold-cache", progress=False
        )

        def start_child(allowed: bool) -> str:
            """What the aligner does for a long PDF: start a process pool inside the (daemonic) Dask worker."""
            import multiprocessing
            import time as _time
            from contextlib import nullcontext

            from aligner.batch.runner import _children_allowed

            with _children_allowed() if allowed else nullcontext():
                try:
                    child = multiprocessing.get_context("forkserver").Process(target=_time.sleep, args=(0,))
                    child.start()
                    child.join()
                    return f"exit {child.exitcode}"
                except AssertionError as exc:
                    return str(exc)

        assert "daemonic processes are not allowed" in client.submit(start_child, False, pure=False).result()
        assert client.submit(start_child, True, pure=False).result() == "exit 0"
    assert local.aligned == remote.aligned == len(SMALL_PAIRS)
    for a, b in zip(local.rows, remote.rows, strict=True):
        assert {**a.to_dict(), "seconds": 0} == {**b.to_dict(), "seconds": 0}
    for pid in SMALL_PAIRS:
        for kind in ("tsv", "json", "html"):
            assert filecmp.cmp(
                _outputs(tmp_path / "local", pid)[kind], _outputs(tmp_path / "dask", pid)[kind], shallow=False
            )


def test_batch_with_a_model_that_cannot_be_found_fails_at_once(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(f"id,en,cy,method\ndemo,{DEMO_EN},{DEMO_CY},test\n", encoding="utf-8")
    missing = tmp_path / "no-such-model"
    proc = subprocess.run(
        [sys.executable, "-m", "aligner", "batch", str(manifest), "-o", str(tmp_path / "out"), "--model", str(missing)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == 2 and len(lines) == 1, proc.stderr
    assert "no-such-model" in lines[0] and not (tmp_path / "out").exists()
