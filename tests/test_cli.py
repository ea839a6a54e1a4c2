"""The CLI as a user meets it: real processes, real files, one-line errors, no tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "data" / "moj-fixed-recall"


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "aligner", *args], capture_output=True, text=True, cwd=cwd, timeout=600
    )


def assert_one_line_error(proc: subprocess.CompletedProcess, needle: str) -> None:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert needle.lower() in lines[0].lower(), lines[0]


def test_version():
    proc = run_cli("--version")
    assert proc.returncode == 0
    assert proc.stdout.startswith("aligner ")


def test_align_missing_file_is_one_line(tmp_path):
    out = tmp_path / "out.tsv"
    proc = run_cli("align", str(tmp_path / "nope.en.pdf"), str(DEMO / "fixed-recall.cy.pdf"), "-o", str(out))
    assert_one_line_error(proc, "nope.en.pdf")
    assert not out.exists()


def test_align_not_a_pdf_writes_nothing(tmp_path):
    fake = tmp_path / "notes.pdf"
    fake.write_text("these are plain notes, not a PDF\n")
    out = tmp_path / "out.tmx"
    proc = run_cli("align", str(fake), str(DEMO / "fixed-recall.cy.pdf"), "-o", str(out))
    assert_one_line_error(proc, "notes.pdf")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [fake]


def test_align_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "out.tsv"
    out.write_text("precious\n")
    proc = run_cli("align", str(DEMO / "fixed-recall.en.pdf"), str(DEMO / "fixed-recall.cy.pdf"), "-o", str(out))
    assert_one_line_error(proc, "--force")
    assert out.read_text() == "precious\n"


def test_align_unknown_output_format(tmp_path):
    out = tmp_path / "out.docx"
    proc = run_cli("align", str(DEMO / "fixed-recall.en.pdf"), str(DEMO / "fixed-recall.cy.pdf"), "-o", str(out), "-q")
    assert_one_line_error(proc, ".docx")
    assert not out.exists()


def test_report_needs_an_output(tmp_path):
    proc = run_cli("report", str(DEMO / "fixed-recall.en.pdf"), str(DEMO / "fixed-recall.cy.pdf"))
    assert_one_line_error(proc, "-o")


def test_evaluate_given_a_pdf_is_one_line(tmp_path):
    system = tmp_path / "pairs.tsv"
    system.write_text("en\tcy\nHello\tHelo\n", encoding="utf-8")
    proc = run_cli("evaluate", str(DEMO / "fixed-recall.en.pdf"), str(system))
    assert_one_line_error(proc, "not an alignment table")
    assert proc.returncode == 2


def test_evaluate_unreadable_table_is_one_line(tmp_path):
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b'en,cy\n"unterminated,quote\n\xff\xfe')
    proc = run_cli("evaluate", str(broken), str(broken))
    assert_one_line_error(proc, "broken.csv")


def test_unknown_language_is_refused(tmp_path):
    out = tmp_path / "blocks.tsv"
    proc = run_cli("segment", str(DEMO / "fixed-recall.en.pdf"), "-o", str(out), "--lang", "fr")
    assert_one_line_error(proc, "--lang")
    assert proc.returncode == 2 and not out.exists()


def test_usage_errors_are_one_line():
    for args in (("align", "only-one.pdf"), ("segment", "--bogus"), ("frobnicate",)):
        proc = run_cli(*args)
        assert_one_line_error(proc, "error")
        assert proc.returncode == 2


def test_help_says_what_quiet_hides_and_documents_the_sidecar():
    text = " ".join(run_cli("align", "--help").stdout.replace("│", " ").split())
    assert "warnings are still printed" in text
    assert "sidecar" in text and "OUTPUT.json" in text
