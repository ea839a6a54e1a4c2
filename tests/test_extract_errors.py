"""Unusable input gives one clear InputError (API) or one line on stderr and no output file (CLI)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from aligner.errors import InputError
from aligner.segmentation.pipeline import segment_pdf
from devtools.devdata import shared_data_dir

ROOT = Path(__file__).resolve().parents[1]
SHARED = shared_data_dir()
FIXTURE = ROOT / "data" / "moj-fixed-recall" / "fixed-recall.en.pdf"


def _pdf(path: Path, *, text: str | None = None, image: bool = False, password: str | None = None) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    pdf.add_page()
    if text:
        pdf.set_font("helvetica", size=12)
        pdf.cell(0, 10, text)
    if image:
        from PIL import Image, ImageDraw

        img = Image.new("RGB", (400, 120), "white")
        ImageDraw.Draw(img).text((10, 40), "Scanned page text", fill="black")
        pdf.image(img, x=20, y=20, w=160)
    pdf.output(str(path))
    return path


@pytest.fixture
def bad_inputs(tmp_path):
    text_file = tmp_path / "notes.pdf"
    text_file.write_text("This is a text file, not a PDF.\n", encoding="utf-8")
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without xref\n")
    empty_file = tmp_path / "zero.pdf"
    empty_file.write_bytes(b"")
    return {
        "missing": (tmp_path / "nope.pdf", "no such file"),
        "not a pdf": (text_file, "not a PDF"),
        "zero bytes": (empty_file, "empty"),
        "damaged": (damaged, "cannot read the PDF"),
        "encrypted": (_pdf(tmp_path / "locked.pdf", text="Secret", password="pw"), "encrypted"),
        "no text": (_pdf(tmp_path / "blank.pdf"), "contains no text"),
        "image only": (_pdf(tmp_path / "scan.pdf", image=True), "OCR"),
    }


@pytest.mark.parametrize(
    "case", ["missing", "not a pdf", "zero bytes", "damaged", "encrypted", "no text", "image only"]
)
def test_api_raises_input_error(bad_inputs, case):
    path, message = bad_inputs[case]
    with pytest.raises(InputError) as info:
        segment_pdf(path)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.skipif(not (SHARED / "pdf" / "no-text-layer").is_dir(), reason="shared real data not available")
def test_real_pdf_without_text_layer_needs_ocr():
    with pytest.raises(InputError, match="OCR"):
        segment_pdf(SHARED / "pdf" / "no-text-layer" / "20230118 E12 Privacy Notice.pdf")


def test_owner_password_only_pdf_is_readable(tmp_path):
    """Encryption that only restricts editing does not stop reading: no error."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Readable although encrypted.")
    path = tmp_path / "owner-only.pdf"
    pdf.output(str(path))
    assert [b.text for b in segment_pdf(path).blocks] == ["Readable although encrypted."]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "aligner", *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_cli_bad_input_one_line_no_output(bad_inputs, tmp_path):
    out = tmp_path / "blocks.tsv"
    for case in ("not a pdf", "encrypted"):
        path, message = bad_inputs[case]
        result = _cli("segment", str(path), "-o", str(out))
        assert result.returncode != 0
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.stderr
        assert not out.exists()
        assert not list(tmp_path.glob(".blocks.tsv.*"))


def test_cli_writes_blocks_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "blocks.tsv"
    result = _cli("segment", str(FIXTURE), "-o", str(out), "-q")
    assert result.returncode == 0, result.stderr
    header, *rows = out.read_text(encoding="utf-8").splitlines()
    assert header.split("\t")[:3] == ["id", "kind", "level"]
    assert rows[0].startswith("p1-b1\theading\t1\t")
    before = out.read_bytes()
    again = _cli("segment", str(FIXTURE), "-o", str(out), "-q")
    assert again.returncode != 0 and "already exists" in again.stderr
    assert out.read_bytes() == before
    forced = _cli("segment", str(FIXTURE), "-o", str(out), "-q", "--force")
    assert forced.returncode == 0
