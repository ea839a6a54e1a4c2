"""Character-level clean-up of PDF text and undoing of line-end hyphenation.

PDF text layers carry typesetting artefacts that must not reach the aligner: ligature glyphs, soft
hyphens, the MAS transcripts' TAB+CR+space+NBSP "spaces" and '-'+U+00AD+U+2010 "hyphens", Welsh
letters as base letter + combining accent. All of them are fixed here, in one place.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

from aligner.pdf.glyphs import BULLETS, LIGATURES
from aligner.segmentation.hyphens import keeps_hyphen

SOFT_HYPHEN = "\u00ad"
SENTENCE_END = re.compile(r"[.!?:;…][)\]”\"’']*\s*$")
"""A line or text that ends a sentence (closing quotes and brackets allowed after the mark)."""
_RUNS_ON_ENGLISH = "a an the and or nor but of to in into for with by on at from than"
_RUNS_ON_WELSH = (
    "ac y yr o i ar yn gan am neu na nac gyda hefo â ag mewn dan wrth heb trwy drwy rhwng ei eu fy ein eich"
)
RUNS_ON_WORDS = frozenset(_RUNS_ON_ENGLISH.split() + _RUNS_ON_WELSH.split())
"""Words no sentence or label ends with, in lower case (English, then Welsh): a line ending in one
runs on into the next line."""
HYPHENS = "\u2010\u2011"  # typographic hyphen and non-breaking hyphen: printed as '-'

_HYPHEN_RUN = re.compile("-?\u00ad?[\u2010\u2011]|-\u00ad")
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u200b\ufdd0]+")
"""Whitespace, and the reader's icon-glyph stand-in (aligner.pdf.glyphs.ICON_GLYPH): furniture."""
_LIGATURE_RE = re.compile("[" + "".join(LIGATURES) + "]")

# Prefixes written with a hyphen in Welsh and English; a line-end hyphen after one of them is real.
HYPHEN_PREFIXES = frozenset(
    [
        "is",
        "ail",
        "cyd",
        "gwrth",
        "hunan",
        "rhag",
        "blwydd",
        "di",
        "an",
        "aml",
        "lled",
        "cyn",
        "ôl",
        "tra",
        "traws",
        "uwch",
        "dad",
        "ad",
        "gor",
        "hyper",
        "self",
        "non",
        "co",
        "re",
        "pre",
        "post",
        "anti",
        "multi",
        "pseudo",
        "cross",
        "well",
        "ex",
        "semi",
        "sub",
        "inter",
        "full",
        "part",
        "long",
        "short",
        "high",
        "low",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "first",
        "second",
        "third",
        "part-time",
        "mid",
        "over",
        "under",
        "e",
        "x",
        "t",
        "u",
    ]
)


def normalise_text(text: str) -> str:
    """NFC, ligatures expanded, MAS hyphen/space encodings and soft hyphens fixed, whitespace collapsed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = _LIGATURE_RE.sub(lambda m: LIGATURES[m.group()], text)
    text = _HYPHEN_RUN.sub("-", text)
    text = text.replace(SOFT_HYPHEN, "")
    return _SPACES.sub(" ", text).strip()


def ends_with_soft_hyphen(raw: str) -> bool:
    """A bare soft hyphen at the end of a line is a word division the typesetter made (not printed)."""
    return raw.rstrip().endswith(SOFT_HYPHEN) and not raw.rstrip(SOFT_HYPHEN).endswith(("-",) + tuple(HYPHENS))


def join_hyphenated(
    prev: str, nxt: str, hyphenated: Container[str] = frozenset(), joined: Container[str] = frozenset()
) -> str:
    """Join two lines of one paragraph, undoing a line-end word division but keeping real hyphens.

    ``hyphenated`` and ``joined`` are lower-cased word forms seen elsewhere in the document (with and
    without the hyphen; ``joined`` may count them); aligner.segmentation.hyphens decides.
    """
    if not prev:
        return nxt
    if not nxt:
        return prev
    m = re.search(r"(\S+)-$", prev)
    if not m or prev.endswith(("--", " -")) or not re.search(r"\w$", m.group(1)):
        return f"{prev} {nxt}"
    if not re.match(r"\w", nxt):
        return f"{prev}{nxt}"
    keep = keeps_hyphen(m.group(1), nxt.split(" ", 1)[0], hyphenated, joined, HYPHEN_PREFIXES)
    return f"{prev}{nxt}" if keep else f"{prev[:-1]}{nxt}"


def strip_bullet(text: str) -> tuple[bool, str]:
    """Remove a leading bullet glyph; report whether there was one. Dashes count only before a space.

    An asterisk is kept: at the start of a line it marks a note that answers an asterisk earlier on the
    page ("* amounts should be net of ..."), and the note keeps it, as the unit definition does."""
    stripped = text.lstrip()
    if not stripped or stripped[0] == "*":
        return False, text
    if stripped[0] in BULLETS and stripped[0] not in "-–·":
        return True, stripped[1:].lstrip()
    if stripped[0] in "-–·" and stripped[1:2] == " ":
        return True, stripped[2:].lstrip()
    return False, text
