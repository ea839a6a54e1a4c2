"""Numbering labels at the start of a block: section numbers, list labels and named labels.

The label is reported as printed (``2.14``, ``(a)``, ``1.``, ``Recommendation 3``) so the aligner can
match it against the other language, where the number is the same but the word is translated.
Block.text keeps the label too: the label is extra metadata, the text stays as the reader sees it.
"""

from __future__ import annotations

import re

NAMED_LABELS = {
    "recommendation": "recommendation",
    "argymhelliad": "recommendation",
    "chapter": "chapter",
    "pennod": "chapter",
    "part": "part",
    "rhan": "part",
    "section": "section",
    "adran": "section",
    "annex": "annex",
    "atodiad": "annex",
    "appendix": "annex",
    "table": "table",
    "tabl": "table",
    "figure": "figure",
    "ffigur": "figure",
    "step": "step",
    "cam": "step",
    "article": "article",
    "erthygl": "article",
}
"""Label words in English and Welsh, mapped to a language-neutral name."""

_NUMBER = r"(?:\d+(?:\.\d+)*|[A-Z]|[IVXLC]+)"
_NAMED = re.compile(
    r"(?P<label>(?P<word>" + "|".join(NAMED_LABELS) + r")\s+" + _NUMBER + r")(?P<punct>[.:)]?)(?=\s|$)",
    re.IGNORECASE,
)
_PATTERNS = (
    re.compile(r"(?P<label>\d+(?:\.\d+)+\.?)(?=\s)"),  # 2.14  3.4.1  2.1.
    re.compile(r"(?P<label>\d+(?:\.\d+)+)(?=[A-Z][a-z])"),  # 2.1Interim: number set tight against the text
    re.compile(r"(?P<label>\(\s?(?:\d+|[a-z]|[ivxlc]+|[A-Z])\s?\))(?=\s)"),  # (a) (iv) (3)
    re.compile(r"(?P<label>\((?:\d+|[a-z]|[ivxlc]+)\))(?=[\"“‘']?[A-Z])"),  # (d)Doctors: set tight against the text
    re.compile(r"(?P<label>(?:\d{1,3}|[a-z]|[ivxlc]+)[.)]|[A-Z]\))(?=\s)"),  # 1.  a)  iv.  B)  (not "A.", "1993.")
    re.compile(r"(?P<label>\d{1,2})(?=\s+[A-Z])"),  # 2 Background (headings)
)


def split_label(text: str) -> tuple[str | None, str]:
    """Return (label as printed, rest of the text) or (None, text) when the block has no label.

    The rest drops the label and following separator (``:``/``.``/``–``) but not a trailing full stop
    of a list label, which is part of the label (``1.``).
    """
    stripped = text.lstrip()
    m = _NAMED.match(stripped)
    if m:
        rest = stripped[m.end() :].lstrip()
        rest = re.sub(r"^[–—-]\s+", "", rest)
        return m.group("label"), rest
    for pat in _PATTERNS:
        m = pat.match(stripped)
        if m and m.end() < len(stripped):
            label = m.group("label")
            if re.fullmatch(r"[ivxlc]+[.)]", label) and label[0] == "i" and len(label) > 4:
                continue
            return label, stripped[m.end() :].lstrip()
    return None, text


def is_label(text: str) -> bool:
    """The text is a label and nothing else ("12.1", "(a)", "3.", "1.6*" with the asterisk of a
    question that must be answered): a number hanging in a column of its own before the text it
    numbers."""
    text = text.strip().rstrip("*")
    return bool(text) and split_label(f"{text} Text")[0] == text


def label_kind(label: str | None) -> str | None:
    """The family of a label: 'named:<name>', 'decimal', 'list' or 'bare'; None without a label."""
    if not label:
        return None
    m = _NAMED.match(label)
    if m:
        return "named:" + NAMED_LABELS[m.group("word").lower()]
    if re.fullmatch(r"\d+(?:\.\d+)+\.?", label):
        return "decimal"
    if re.fullmatch(r"\d{1,2}", label):
        return "bare"
    return "list"


def label_depth(label: str | None) -> int | None:
    """Nesting depth of a section number (``3`` -> 1, ``3.4.1`` -> 3); None for other labels."""
    if not label or not re.fullmatch(r"\d+(?:\.\d+)*\.?", label):
        return None
    return label.rstrip(".").count(".") + 1
