"""Read the real parallel text (NTREX-128 news, UDHR) that synthetic benchmark documents are made of.

Only structure that the sources themselves guarantee is kept: NTREX is aligned line by line inside
documents; the UDHR is aligned by section, and paragraph by paragraph only where both languages have
the same paragraph structure (a section whose structure differs is joined into one paragraph).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import groupby
from pathlib import Path

from aligner.errors import InputError


@dataclass(frozen=True)
class Pair:
    en: str
    cy: str
    ref: str
    """Where the pair comes from, e.g. ``ntrex:17`` (0-based line) or ``udhr:5:1``."""


@dataclass(frozen=True)
class NtrexDoc:
    doc_id: str
    sentences: tuple[Pair, ...]
    """The first sentence of every NTREX document is its headline."""


@dataclass(frozen=True)
class UdhrSection:
    heading: Pair
    items: tuple[tuple[str, Pair], ...]
    """``("p", pair)`` for a paragraph, ``("li", pair)`` for a numbered list item."""


@dataclass(frozen=True)
class Corpus:
    ntrex: tuple[NtrexDoc, ...]
    udhr_title: Pair
    udhr: tuple[UdhrSection, ...]


def default_data_dir() -> Path:
    """``../shared/data`` beside the repository, or ``$ALIGNER_SHARED_DATA``."""
    from devtools.devdata import shared_data_dir

    return shared_data_dir()


def load_corpus(data_dir: Path | None = None) -> Corpus:
    root = Path(data_dir) if data_dir is not None else default_data_dir()
    par = root / "parallel" if (root / "parallel").is_dir() else root
    ntrex_dir, udhr_dir = par / "ntrex128", par / "udhr"
    for p in (ntrex_dir / "newstest2019-ref.eng-GB.txt", udhr_dir / "eng.html"):
        if not p.is_file():
            raise InputError(f"synthetic data source not found: {p} (set ALIGNER_SHARED_DATA or pass data_dir)")
    return Corpus(ntrex=_load_ntrex(ntrex_dir), udhr_title=_udhr_title(udhr_dir), udhr=_load_udhr(udhr_dir))


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _load_ntrex(d: Path) -> tuple[NtrexDoc, ...]:
    ids = (d / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    en = (d / "newstest2019-ref.eng-GB.txt").read_text(encoding="utf-8").splitlines()
    cy = (d / "newstest2019-ref.cym.txt").read_text(encoding="utf-8").splitlines()
    if not (len(ids) == len(en) == len(cy)):
        raise InputError(f"{d}: NTREX files have different line counts")
    docs: list[NtrexDoc] = []
    for doc_id, rows in groupby(range(len(ids)), key=lambda i: ids[i].strip()):
        pairs = tuple(Pair(_clean(en[i]), _clean(cy[i]), f"ntrex:{i}") for i in rows)
        pairs = tuple(p for p in pairs if p.en and p.cy)
        if pairs:
            docs.append(NtrexDoc(doc_id, pairs))
    return tuple(docs)


class _UdhrParser(HTMLParser):
    """Collects h1, and per <header>/<article>: its h2 and a list of (p|li, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.sections: list[tuple[str, list[tuple[str, str]]]] = []
        self._tag: str | None = None
        self._buf: list[str] = []
        self._in_li = False

    def handle_starttag(self, tag, attrs):
        if tag in ("header", "article"):
            self.sections.append(("", []))
        elif tag == "li":
            self._in_li = True
        elif tag in ("h1", "h2", "p"):
            self._tag, self._buf = tag, []

    def handle_endtag(self, tag):
        if tag == "li":
            self._in_li = False
        elif tag == self._tag:
            text = _clean("".join(self._buf))
            if tag == "h1":
                self.title = text
            elif tag == "h2":
                self.sections[-1] = (text, self.sections[-1][1])
            else:
                self.sections[-1][1].append(("li" if self._in_li else "p", text))
            self._tag = None

    def handle_data(self, data):
        if self._tag:
            self._buf.append(data)


def _parse_udhr(path: Path) -> _UdhrParser:
    p = _UdhrParser()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def _udhr_title(d: Path) -> Pair:
    return Pair(_parse_udhr(d / "eng.html").title, _parse_udhr(d / "cym.html").title, "udhr:title")


def _load_udhr(d: Path) -> tuple[UdhrSection, ...]:
    en, cy = _parse_udhr(d / "eng.html").sections, _parse_udhr(d / "cym.html").sections
    if len(en) != len(cy):
        raise InputError(f"{d}: UDHR editions have different section counts")
    out: list[UdhrSection] = []
    for s, ((he, ie), (hc, ic)) in enumerate(zip(en, cy)):
        if [k for k, _ in ie] == [k for k, _ in ic]:
            items = tuple((k, Pair(te, tc, f"udhr:{s}:{j}")) for j, ((k, te), (_, tc)) in enumerate(zip(ie, ic)))
        else:  # paragraph correspondence unknown: one unit on both sides
            items = (("p", Pair(" ".join(t for _, t in ie), " ".join(t for _, t in ic), f"udhr:{s}:all")),)
        out.append(UdhrSection(Pair(he, hc, f"udhr:{s}:h"), items))
    return tuple(out)
