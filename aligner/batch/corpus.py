"""Corpus-level outputs of a batch: one TMX for the whole archive and an HTML index of the pairs.

The combined TMX is built from the per-pair TMX files on disk (not from alignments in memory), so a
re-run that skipped finished pairs produces the same corpus as a run that aligned them all, and only
one document's units are held in memory at a time.
"""

from __future__ import annotations

import os
import tempfile
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import TextIO

from .summary import FINISHED, STATUS_FAILED, BatchSummary, PairOutcome

DOCUMENT_PROP = "x-document"
SIGNATURE_PROP = "x-aligner-signature"
KEPT_HEADER_PROPS = (SIGNATURE_PROP, "x-min-score")
"""Header props that describe how every unit was made; per-document ones (input files, counts) are dropped."""
TMX_INDENT = " "


def _header(path: Path) -> ET.Element | None:
    """The ``<header>`` of a TMX file, read without parsing its body."""
    with open(path, "rb") as fh:
        for _, elem in ET.iterparse(fh, events=("end",)):
            if elem.tag == "header":
                return elem
    return None


def merge_tmx(documents: list[tuple[str, Path]], path: str | os.PathLike[str]) -> tuple[int, list[str]]:
    """Write one TMX with every unit of ``documents`` (id, TMX path), each tagged with its document id.

    Units keep their props, and get ``<prop type="x-document">`` first (TMX wants props before tuvs)
    and a ``tuid`` made unique as ``id:n``. The header is the first document's, with its signature;
    if documents were made with different settings, every distinct signature is listed.
    Returns (units written, distinct signatures).
    """
    path = Path(path)
    first: ET.Element | None = None
    signatures: list[str] = []
    for _, tmx in documents:
        header = _header(tmx)
        if header is None:
            continue
        first = first if first is not None else header
        for prop in header.iter("prop"):
            if prop.get("type") == SIGNATURE_PROP and prop.text and prop.text not in signatures:
                signatures.append(prop.text)
    units = 0
    with tempfile.TemporaryFile("w+", encoding="utf-8", dir=path.parent) as body:
        for doc_id, tmx in documents:
            units += _copy_units(doc_id, tmx, body)
        body.seek(0)
        tmp = path.with_name(f".{path.name}.part")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n')
            fh.write(_corpus_header(first, signatures, len(documents), units))
            fh.write(f"{TMX_INDENT}<body>\n")
            while chunk := body.read(1 << 20):
                fh.write(chunk)
            fh.write(f"{TMX_INDENT}</body>\n</tmx>\n")
        os.replace(tmp, path)
    return units, signatures


def _corpus_header(first: ET.Element | None, signatures: list[str], documents: int, units: int) -> str:
    attrs = (
        dict(first.attrib)
        if first is not None
        else {
            "creationtool": "aligner",
            "segtype": "paragraph",
            "o-tmf": "aligner",
            "adminlang": "en-GB",
            "srclang": "en-GB",
            "datatype": "plaintext",
        }
    )
    attrs["creationdate"] = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    header = ET.Element("header", attrs)
    for sig in signatures:
        ET.SubElement(header, "prop", {"type": SIGNATURE_PROP}).text = sig
    if first is not None:
        for prop in first.iter("prop"):
            if prop.get("type") in KEPT_HEADER_PROPS and prop.get("type") != SIGNATURE_PROP:
                ET.SubElement(header, "prop", {"type": prop.get("type", "")}).text = prop.text
    ET.SubElement(header, "prop", {"type": "x-documents"}).text = str(documents)
    ET.SubElement(header, "prop", {"type": "x-units-written"}).text = str(units)
    ET.indent(header, space=TMX_INDENT, level=1)
    header.tail = None
    return TMX_INDENT + ET.tostring(header, encoding="unicode") + "\n"


def _copy_units(doc_id: str, tmx: Path, out: TextIO) -> int:
    """Append ``tmx``'s units, tagged with ``doc_id``, to the open text file ``out``."""
    n = 0
    with open(tmx, "rb") as fh:
        for _, elem in ET.iterparse(fh, events=("end",)):
            if elem.tag != "tu":
                continue
            doc = ET.Element("prop", {"type": DOCUMENT_PROP})
            doc.text = doc_id
            elem.insert(0, doc)
            elem.set("tuid", f"{doc_id}:{elem.get('tuid', n + 1)}")
            ET.indent(elem, space=TMX_INDENT, level=2)
            elem.tail = None
            out.write(TMX_INDENT * 2 + ET.tostring(elem, encoding="unicode") + "\n")
            elem.clear()
            n += 1
    return n


# --- HTML index ---------------------------------------------------------------------------------

_CSS = """body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse}
th,td{padding:.25em .6em;border-bottom:1px solid #ddd;text-align:right;vertical-align:top}
th{background:#f4f4f4;position:sticky;top:0}td.l,th.l{text-align:left}.failed td{background:#fdecea}
.not-run td{color:#888}.bar{display:inline-block;width:80px;height:.7em;background:#eee;margin-right:.4em}
.bar span{display:block;height:100%;background:#3a7}.err{color:#a00;max-width:40em;text-align:left}
.cards{display:flex;gap:1em;margin:1em 0}.card{border:1px solid #ddd;padding:.5em 1em;border-radius:4px}
.card b{display:block;font-size:1.4em}"""


def report_href(pair_id: str) -> str:
    """Where a pair's coverage report lies, relative to the batch folder."""
    return f"pairs/{pair_id}/{pair_id}.report.html"


def _row(r: PairOutcome) -> str:
    finished = r.status in FINISHED
    name = f'<a href="{escape(report_href(r.id))}">{escape(r.id)}</a>' if finished else escape(r.id)
    share = (
        f'<span class="bar"><span style="width:{r.aligned_share:.1%}"></span></span>{r.aligned_share:.1%}'
        if r.aligned_share is not None
        else ""
    )
    conf = f"{r.mean_confidence:.3f}" if r.mean_confidence is not None else ""
    cells = [f'<td class="l">{name}</td>', f'<td class="l">{escape(r.status)}</td>']
    cells += [
        f"<td>{v}</td>" if finished else "<td></td>"
        for v in (r.pages_en, r.pages_cy, r.links_1_1, r.links_1_0, r.links_0_1, r.links_merge)
    ]
    cells += [
        f"<td>{share}</td>",
        f"<td>{conf}</td>",
        f"<td>{r.findings if finished else ''}</td>",
        f'<td class="l">{escape(r.warnings)}</td>',
        f'<td class="err">{escape(r.error)}</td>',
        f"<td>{r.seconds:.1f}</td>",
    ]
    return f'<tr class="{escape(r.status)}">{"".join(cells)}</tr>'


def render_index(summary: BatchSummary, corpus_units: int) -> str:
    """A self-contained page: corpus totals, then one row per pair linking its coverage report."""
    done = [r for r in summary.rows if r.status in FINISHED]
    words_share = [r.aligned_share for r in done if r.aligned_share is not None]
    cards = [
        ("pairs finished", f"{len(done)} / {len(summary.rows)}"),
        ("failed", str(summary.count(STATUS_FAILED))),
        ("pages (EN / CY)", f"{sum(r.pages_en for r in done)} / {sum(r.pages_cy for r in done)}"),
        ("links", str(sum(r.links for r in done))),
        ("translation units in corpus.tmx", str(corpus_units)),
        ("mean aligned share", f"{sum(words_share) / len(words_share):.1%}" if words_share else "-"),
    ]
    head = [
        "document",
        "status",
        "EN pages",
        "CY pages",
        "1-1",
        "1-0",
        "0-1",
        "merges",
        "aligned share",
        "mean confidence",
        "findings",
        "warnings",
        "error",
        "seconds",
    ]
    th = "".join(
        f'<th class="{"l" if h in ("document", "status", "warnings", "error") else ""}">{h}</th>' for h in head
    )
    notes = "".join(f"<p>{escape(n)}</p>" for n in summary.notes)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Aligned corpus: {len(summary.rows)} pairs</title><style>{_CSS}</style></head><body>"
        f"<h1>English–Welsh aligned corpus</h1><p>{escape(summary.headline())}</p>{notes}"
        '<div class="cards">'
        + "".join(f'<div class="card"><b>{escape(v)}</b>{escape(k)}</div>' for k, v in cards)
        + "</div>"
        '<p>Downloads: <a href="corpus.tmx">corpus.tmx</a> (every pair, each unit tagged with its document), '
        '<a href="summary.csv">summary.csv</a>.</p>'
        f"<table><tr>{th}</tr>{''.join(_row(r) for r in summary.rows)}</table></body></html>\n"
    )


def write_index(summary: BatchSummary, corpus_units: int, path: str | os.PathLike[str]) -> None:
    path = Path(path)
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_text(render_index(summary, corpus_units), encoding="utf-8")
    os.replace(tmp, path)
