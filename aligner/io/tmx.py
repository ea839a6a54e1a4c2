"""TMX 1.4b writer: the bilingual memory that CAT tools (OmegaT, Trados, memoQ...) import.

One ``<tu>`` per two-sided link scoring at least ``min_score``; one-sided links have no
translation, so they are only in the TSV. The paragraphs of a many-to-one side are joined by a
space in the ``<seg>``, because a CAT tool matches a source segment as one string. The header
carries the settings signature and the input files as ``<prop type="x-...">`` (TMX's place for
tool data), and every ``<tu>`` its score, link type, block ids, pages and section, so a reviewer
can go back from a TM entry to the page. ElementTree does the escaping; characters that XML 1.0
forbids (controls other than tab/newline/CR, U+FFFE/U+FFFF, lone surrogates) are removed first,
because a PDF text layer can contain them and one of them makes the whole file unreadable.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, BinaryIO

from aligner.io.rows import LinkRow, SentenceRow, page_span
from aligner.records import PILCROW, Block, Link, SentenceLink

EN_LANG = "en-GB"
CY_LANG = "cy-GB"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XML_FORBIDDEN = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """Remove the characters XML 1.0 does not allow (ElementTree would write them unescaped)."""
    return _XML_FORBIDDEN.sub("", text)


def tmx_date(when: datetime | None = None) -> str:
    """TMX dates are ISO 8601 basic format in UTC: YYYYMMDDThhmmssZ."""
    when = (when or datetime.now(UTC)).astimezone(UTC)
    return when.strftime("%Y%m%dT%H%M%SZ")


def _prop(parent: ET.Element, kind: str, value: Any) -> None:
    ET.SubElement(parent, "prop", {"type": kind}).text = xml_safe(str(value))


def _seg_text(blocks: Iterable) -> str:
    return " ".join(" ".join(xml_safe(b.text).split()) for b in blocks)


HEADER_SEGTYPE = {"paragraph": "paragraph", "sentence": "sentence", "both": "paragraph"}
"""TMX 1.4b allows one header segtype (block, paragraph, sentence or phrase) and lets each ``<tu>``
override it; a file with both levels says "paragraph" in the header and sets segtype on every ``<tu>``."""


def _unit(
    body: ET.Element,
    attrs: dict[str, str],
    link: Link | SentenceLink,
    paragraph_link: int | None,
    ids: tuple[str, str],
    blocks: tuple[tuple[Block, ...], tuple[Block, ...]],
    section: str,
    texts: tuple[str, str],
) -> None:
    """One <tu>: the same props for paragraph and sentence units (sentence units also name their paragraph)."""
    tu = ET.SubElement(body, "tu", attrs)
    _prop(tu, "x-score", f"{link.score:.4f}")
    _prop(tu, "x-link", link.kind)
    if paragraph_link is not None:
        _prop(tu, "x-paragraph-link", paragraph_link)
    _prop(tu, "x-en-ids", ids[0])
    _prop(tu, "x-cy-ids", ids[1])
    _prop(tu, "x-en-page", page_span(blocks[0]))
    _prop(tu, "x-cy-page", page_span(blocks[1]))
    if section:
        _prop(tu, "x-section", section)
    if link.flags:
        _prop(tu, "x-flags", ",".join(link.flags))
    for lang, text in ((EN_LANG, texts[0]), (CY_LANG, texts[1])):
        tuv = ET.SubElement(tu, "tuv", {XML_LANG: lang})
        ET.SubElement(tuv, "seg").text = xml_safe(text)


def build_tmx(
    rows: Iterable[LinkRow],
    meta: dict[str, Any],
    min_score: float = 0.0,
    created: datetime | None = None,
    sentence_rows: Iterable[SentenceRow] = (),
    level: str = "paragraph",
) -> ET.ElementTree:
    """The TMX document for ``rows`` (see ``aligner.io.rows.link_rows``) and provenance ``meta``.

    ``level`` "sentence" or "both" adds a ``<tu>`` per two-sided sentence link of ``sentence_rows``
    (tuid ``P.N``: paragraph link P's N-th sentence unit; prop ``x-paragraph-link`` = P).
    """
    rows = list(rows)
    srows = list(sentence_rows)
    kept = [r for r in rows if r.two_sided and r.link.score >= min_score]
    skept = [r for r in srows if r.two_sided and r.link.score >= min_score]
    root = ET.Element("tmx", {"version": "1.4"})
    header = ET.SubElement(
        root,
        "header",
        {
            "creationtool": meta.get("tool", "aligner"),
            "creationtoolversion": str(meta.get("tool_version", "")),
            "segtype": HEADER_SEGTYPE[level],
            "o-tmf": "aligner",
            "adminlang": EN_LANG,
            "srclang": EN_LANG,
            "datatype": "plaintext",
            "creationdate": tmx_date(created),
        },
    )
    _prop(header, "x-aligner-signature", meta.get("signature", ""))
    _prop(header, "x-min-score", f"{min_score:.4f}")
    _prop(header, "x-links-total", len(rows))
    _prop(header, "x-units-written", len(kept) + len(skept))
    if level != "paragraph":
        _prop(header, "x-level", level)
        _prop(header, "x-sentence-links-total", len(srows))
    for lang, info in meta.get("inputs", {}).items():
        for key in ("file", "sha256", "n_pages"):
            if info.get(key) not in (None, ""):
                _prop(header, f"x-{lang}-{key.replace('_', '-')}", info[key])
    _prop(
        header,
        "x-aligner-settings",
        json.dumps(meta.get("settings", {}), ensure_ascii=False, sort_keys=True, default=str),
    )
    body = ET.SubElement(root, "body")
    tagged = level == "both"
    for row in kept:
        attrs = {"tuid": str(row.index + 1), **({"segtype": "paragraph"} if tagged else {})}
        ids = (",".join(b.id for b in row.en), ",".join(b.id for b in row.cy))
        _unit(body, attrs, row.link, None, ids, (row.en, row.cy), row.section, (_seg_text(row.en), _seg_text(row.cy)))
    written = {r.index for r in skept}
    within: dict[int, int] = {}
    for srow in srows:
        within[srow.paragraph] = within.get(srow.paragraph, 0) + 1
        if srow.index not in written:
            continue
        attrs = {"tuid": f"{srow.paragraph + 1}.{within[srow.paragraph]}"}
        attrs = {**attrs, **({"segtype": "sentence"} if tagged else {})}
        texts = (srow.en_text.replace(PILCROW, " "), srow.cy_text.replace(PILCROW, " "))
        ids = (srow.en_ids, srow.cy_ids)
        _unit(body, attrs, srow.link, srow.paragraph + 1, ids, (srow.en, srow.cy), srow.section, texts)
    ET.indent(root, space=" ")
    return ET.ElementTree(root)


def write_tmx(
    rows: Iterable[LinkRow],
    fh: BinaryIO,
    meta: dict[str, Any],
    min_score: float = 0.0,
    created: datetime | None = None,
    sentence_rows: Iterable[SentenceRow] = (),
    level: str = "paragraph",
) -> None:
    """Write UTF-8 TMX with an XML declaration to a binary file object."""
    tree = build_tmx(rows, meta, min_score=min_score, created=created, sentence_rows=sentence_rows, level=level)
    fh.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    tree.write(fh, encoding="utf-8", xml_declaration=False)
    fh.write(b"\n")
