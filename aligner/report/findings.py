"""Coverage findings: what a reviewer should look at in an alignment.

Each detector looks at one kind of problem and returns findings that carry everything a reader needs
to act (section, pages, both texts) plus an id built from block ids, so it stays the same when the
same PDFs are reported again.
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any

from aligner.alignment.cues import strip_leading_label
from aligner.io.rows import SECTION_SEPARATOR, pages_of
from aligner.records import Alignment, BlockKind, Link
from aligner.report.numbers import NumberMismatch, compare_numbers, extract_numbers
from aligner.segmentation.langid import detect_language


class FindingKind(StrEnum):
    """What a finding says is wrong; the order is the order the report lists them."""

    UNTRANSLATED = "untranslated"
    ADDED = "added"
    ENGLISH_IN_WELSH = "english_in_welsh"
    WELSH_IN_ENGLISH = "welsh_in_english"
    NUMBER_MISMATCH = "number_mismatch"
    IDENTICAL = "identical"
    LENGTH_RATIO = "length_ratio"
    LOW_CONFIDENCE = "low_confidence"


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


# Finding kinds in the order the page lists them, with their labels.
FINDING_KINDS: dict[FindingKind, str] = {
    FindingKind.UNTRANSLATED: "Untranslated (English only)",
    FindingKind.ADDED: "Added (Welsh only)",
    FindingKind.ENGLISH_IN_WELSH: "English in the Welsh document",
    FindingKind.WELSH_IN_ENGLISH: "Welsh in the English document",
    FindingKind.NUMBER_MISMATCH: "Numbers differ",
    FindingKind.IDENTICAL: "Identical text",
    FindingKind.LENGTH_RATIO: "Unusual length",
    FindingKind.LOW_CONFIDENCE: "Low-confidence link",
}
SEVERITIES = tuple(Severity)

_WORD = re.compile(r"\w+", re.UNICODE)
_LETTER_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
_URL = re.compile(
    r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|\b[\w-]+(?:\.[\w-]+)*\.(?:gov|org|com|co|ac|nhs|net)(?:\.uk)?(?:/\S*)?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ReportSettings:
    """Thresholds of the checks; written into the report so a result can be reproduced."""

    low_confidence: float = 0.5
    """Two-sided links scoring below this are findings, and drawn red."""
    green_from: float = 0.8
    """Links scoring at least this are drawn green; between low_confidence and this, amber."""
    language_min_words: int = 5
    """Shorter blocks (headings, names, labels) are too short to call their language reliably."""
    language_min_confidence: float = 0.5
    length_min_chars: int = 80
    """Pairs shorter than this (both sides together) are left out of the length check: short ratios are noise."""
    length_max_z: float = 3.5
    """Robust z-score (median/MAD of log length ratios over the document) beyond which a pair is an outlier."""
    length_min_factor: float = 1.5
    """...and off the document's median ratio by at least this factor."""
    length_min_pairs: int = 8
    one_sided_min_words: int = 4
    """One-sided links with fewer words are low severity (likely a stray fragment, not a missing paragraph)."""
    identical_min_words: int = 3
    """Identical texts shorter than this are reported as low severity."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class LinkContext:
    """One link as the report shows it: texts, pages, section, words and its anchor on the page."""

    index: int
    link: Link
    anchor: str
    section: tuple[str, ...]
    en_texts: tuple[str, ...]
    cy_texts: tuple[str, ...]
    en_pages: tuple[int, ...]
    cy_pages: tuple[int, ...]
    en_words: int
    cy_words: int
    en_kinds: tuple[BlockKind, ...]
    cy_kinds: tuple[BlockKind, ...]

    @property
    def en_text(self) -> str:
        return " ¶ ".join(self.en_texts)

    @property
    def cy_text(self) -> str:
        return " ¶ ".join(self.cy_texts)

    @property
    def two_sided(self) -> bool:
        return bool(self.link.en) and bool(self.link.cy)


@dataclass(frozen=True)
class Finding:
    id: str
    kind: FindingKind
    severity: str
    link_index: int
    anchor: str
    section: str
    en_pages: tuple[int, ...]
    cy_pages: tuple[int, ...]
    en_text: str
    cy_text: str
    detail: str
    en_marks: tuple[str, ...] = ()
    """Substrings of the texts to highlight (the numbers that differ)."""
    cy_marks: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return FINDING_KINDS[self.kind]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["en_pages"] = list(self.en_pages)
        d["cy_pages"] = list(self.cy_pages)
        d["en_marks"] = list(self.en_marks)
        d["cy_marks"] = list(self.cy_marks)
        return d


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def link_contexts(alignment: Alignment) -> list[LinkContext]:
    """Texts, pages, anchors and section paths for every link, in link order.

    The section path follows the English headings (the Welsh ones when the English document has
    none), so both halves of a one-sided stretch are placed under the same section.
    """
    en_blocks, cy_blocks = alignment.en.blocks, alignment.cy.blocks
    use_en = any(b.kind is BlockKind.HEADING for b in en_blocks)
    stack: list[tuple[int, str]] = []
    seen: set[str] = set()
    out = []
    for i, link in enumerate(alignment.links):
        en = [en_blocks[j] for j in link.en]
        cy = [cy_blocks[j] for j in link.cy]
        for b in en if use_en else cy:
            if b.kind is BlockKind.HEADING:
                level = b.level or 1
                while stack and stack[-1][0] >= level:
                    stack.pop()
                stack.append((level, _short(b.text, 60)))
        anchor = f"row-en-{en[0].id}" if en else f"row-cy-{cy[0].id}" if cy else f"row-{i}"
        if anchor in seen:
            anchor = f"{anchor}-{i}"
        seen.add(anchor)
        out.append(
            LinkContext(
                index=i,
                link=link,
                anchor=anchor,
                section=tuple(t for _, t in stack),
                en_texts=tuple(b.text for b in en),
                cy_texts=tuple(b.text for b in cy),
                en_pages=pages_of(en),
                cy_pages=pages_of(cy),
                en_words=sum(count_words(b.text) for b in en),
                cy_words=sum(count_words(b.text) for b in cy),
                en_kinds=tuple(b.kind for b in en),
                cy_kinds=tuple(b.kind for b in cy),
            )
        )
    return _drop_common_root(out)


def _drop_common_root(contexts: list[LinkContext]) -> list[LinkContext]:
    """Drop a heading every section sits under (the document title): it says nothing about where a row is."""
    sections = [c.section for c in contexts if c.section]
    if not sections or len({s[0] for s in sections}) != 1 or all(len(s) == 1 for s in sections):
        return contexts
    return [replace(c, section=c.section[1:]) for c in contexts]


def _finding(ctx: LinkContext, kind: FindingKind, severity: str, detail: str, suffix: str = "") -> Finding:
    return Finding(
        id=f"{kind}-{ctx.anchor.removeprefix('row-')}{suffix}",
        kind=kind,
        severity=severity,
        link_index=ctx.index,
        anchor=ctx.anchor,
        section=SECTION_SEPARATOR.join(ctx.section),
        en_pages=ctx.en_pages,
        cy_pages=ctx.cy_pages,
        en_text=ctx.en_text,
        cy_text=ctx.cy_text,
        detail=detail,
    )


def find_one_sided(contexts: list[LinkContext], settings: ReportSettings) -> list[Finding]:
    """1-0 links are English with no Welsh counterpart; 0-1 links are Welsh with none in English.

    A one-sided scrap of a few words is more often a segmentation slip (a stray line end) than a
    missing paragraph, so it is kept but marked low severity.
    """
    out = []
    for ctx in contexts:
        if ctx.link.en and not ctx.link.cy:
            severity = "high" if ctx.en_words >= settings.one_sided_min_words else "low"
            out.append(
                _finding(
                    ctx, FindingKind.UNTRANSLATED, severity, f"{ctx.en_words} English words have no Welsh counterpart"
                )
            )
        elif ctx.link.cy and not ctx.link.en:
            severity = "high" if ctx.cy_words >= settings.one_sided_min_words else "low"
            out.append(
                _finding(ctx, FindingKind.ADDED, severity, f"{ctx.cy_words} Welsh words have no English counterpart")
            )
    return out


def _language_text(text: str) -> str:
    return _URL.sub(" ", text)


def find_wrong_language(contexts: list[LinkContext], settings: ReportSettings) -> list[Finding]:
    """Blocks written in the other language: text left untranslated inside the Welsh edition, or the reverse."""
    out = []
    for ctx in contexts:
        for side, texts, expected, kind in (
            ("cy", ctx.cy_texts, "cy", FindingKind.ENGLISH_IN_WELSH),
            ("en", ctx.en_texts, "en", FindingKind.WELSH_IN_ENGLISH),
        ):
            for k, text in enumerate(texts):
                guess = detect_language(_language_text(text))
                if (
                    guess.lang not in (expected, "unknown")
                    and guess.words >= settings.language_min_words
                    and guess.confidence >= settings.language_min_confidence
                ):
                    name = "English" if guess.lang == "en" else "Welsh"
                    where = "Welsh" if side == "cy" else "English"
                    out.append(
                        _finding(
                            ctx,
                            kind,
                            "high",
                            f"a {where} block reads as {name} (confidence {guess.confidence:.2f})",
                            suffix=f"-{side}{k}" if k else "",
                        )
                    )
    return out


def _normalise(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


_CODE = re.compile(r"\S*\d\S*")
"""A whitespace-separated chunk with a digit: a number or a code ("2.1b", "6aii", "AA1", "xxxxxxx1")."""


def _legitimately_identical(text: str) -> bool:
    """Names, acronyms, numbers, codes, URLs and e-mail addresses read the same in both languages.

    Letters glued to digits are codes, not words: the mark scheme's assessment-objective cells
    ("1.1b") and question numbers ("12a") are printed the same in both editions."""
    words = _LETTER_WORD.findall(_CODE.sub(" ", _URL.sub(" ", text)))
    return not words or all(w[0].isupper() for w in words)


def find_identical(contexts: list[LinkContext], settings: ReportSettings, skip: set[int]) -> list[Finding]:
    """Two-sided links whose texts are the same: likely a paragraph copied across and never translated."""
    out = []
    for ctx in contexts:
        if not ctx.two_sided or ctx.index in skip:
            continue
        en, cy = _normalise(ctx.en_text), _normalise(ctx.cy_text)
        if en != cy or _legitimately_identical(ctx.en_text):
            continue
        words = len(_LETTER_WORD.findall(ctx.en_text))
        severity = "medium" if words >= settings.identical_min_words else "low"
        out.append(_finding(ctx, FindingKind.IDENTICAL, severity, f"the same {words}-word text on both sides"))
    return out


_PAGE_REF = re.compile(r"(?:\s|\.{2,}|…)+\d{1,4}\s*$")


def _number_text(texts: tuple[str, ...], kinds: tuple[BlockKind, ...], strip_labels: bool = False) -> str:
    """The text whose numbers are compared: a contents entry's page number differs with the layout, not the
    translation; with ``strip_labels`` the leading labels are left out too."""
    return " ".join(
        _PAGE_REF.sub("", t) if k is BlockKind.TOC_ENTRY else strip_leading_label(t) if strip_labels else t
        for t, k in zip(texts, kinds)
    )


def _both_labelled(ctx: LinkContext) -> bool:
    """Both sides start with a label (a footnote's or paragraph's number): numbering, which an edition
    may renumber after an omission, not content to compare."""
    return bool(ctx.en_texts and ctx.cy_texts) and all(
        strip_leading_label(t) != t for t in (ctx.en_texts[0], ctx.cy_texts[0])
    )


def find_number_mismatches(contexts: list[LinkContext]) -> list[Finding]:
    """Digits that differ between a paragraph and its translation (years, amounts, percentages, references).

    A number missing from one link and found on the other side of the next or previous link (one-sided
    or not) is a link boundary drawn in the wrong place, not a changed number, so it is not reported here.
    """
    raw: dict[int, NumberMismatch] = {}
    for ctx in contexts:
        labelled = _both_labelled(ctx)
        en_text = _number_text(ctx.en_texts, ctx.en_kinds, labelled)
        cy_text = _number_text(ctx.cy_texts, ctx.cy_kinds, labelled)
        if ctx.two_sided:
            mismatch = compare_numbers(en_text, cy_text)
        else:
            mismatch = NumberMismatch(tuple(extract_numbers(en_text)), tuple(extract_numbers(cy_text)))
        if mismatch is not None:
            raw[ctx.index] = mismatch
    out = []
    for pos, ctx in enumerate(contexts):
        mismatch = raw.get(ctx.index)
        if mismatch is None or not ctx.two_sided:
            continue
        neighbours = [
            raw[c.index]
            for c in (contexts[pos - 1] if pos else None, contexts[pos + 1] if pos + 1 < len(contexts) else None)
            if c is not None and c.index in raw
        ]
        mismatch = mismatch.without(
            {v for n in neighbours for v in n.values("cy")}, {v for n in neighbours for v in n.values("en")}
        )
        if mismatch is None:
            continue
        parts = []
        if mismatch.en_only:
            parts.append("English only: " + ", ".join(mismatch.en_only))
        if mismatch.cy_only:
            parts.append("Welsh only: " + ", ".join(mismatch.cy_only))
        found = _finding(ctx, FindingKind.NUMBER_MISMATCH, "high", "; ".join(parts))
        out.append(replace(found, en_marks=mismatch.en_only, cy_marks=mismatch.cy_only))
    return out


@dataclass(frozen=True)
class _LengthModel:
    """Typical log(Welsh/English) length ratio of this document and its spread (median and MAD)."""

    median: float
    mad: float

    def z(self, en_chars: int, cy_chars: int) -> float:
        return 0.6745 * (math.log(cy_chars / en_chars) - self.median) / self.mad


def _length_model(
    contexts: list[LinkContext], settings: ReportSettings
) -> tuple[_LengthModel | None, list[LinkContext]]:
    eligible = [
        c
        for c in contexts
        if c.two_sided
        and len(c.en_text)
        and len(c.cy_text)
        and len(c.en_text) + len(c.cy_text) >= settings.length_min_chars
    ]
    if len(eligible) < settings.length_min_pairs:
        return None, eligible
    logs = sorted(math.log(len(c.cy_text) / len(c.en_text)) for c in eligible)
    median = statistics.median(logs)
    mad = max(statistics.median(abs(r - median) for r in logs), 0.05)
    return _LengthModel(median, mad), eligible


def find_length_outliers(contexts: list[LinkContext], settings: ReportSettings) -> list[Finding]:
    """Pairs whose Welsh/English length ratio is far from the document's own typical ratio.

    Welsh usually runs 5-15% longer, but the typical ratio varies with the text, so the check is a
    robust z-score (median and MAD of log ratios) over this document rather than a fixed band; a
    pair must also be off by a real factor, since short texts vary a lot.
    """
    model, eligible = _length_model(contexts, settings)
    if model is None:
        return []
    out = []
    for ctx in eligible:
        en_chars, cy_chars = len(ctx.en_text), len(ctx.cy_text)
        z = model.z(en_chars, cy_chars)
        factor = abs(math.log(cy_chars / en_chars) - model.median)
        if abs(z) > settings.length_max_z and factor >= math.log(settings.length_min_factor):
            out.append(
                _finding(
                    ctx,
                    FindingKind.LENGTH_RATIO,
                    "medium",
                    f"Welsh is {cy_chars / en_chars:.2f}× the English length "
                    f"(document median {math.exp(model.median):.2f}×, z = {z:+.1f})",
                )
            )
    return out


def find_low_confidence(contexts: list[LinkContext], settings: ReportSettings) -> list[Finding]:
    """Two-sided links the aligner itself is unsure of (one-sided links are already reported)."""
    return [
        _finding(
            ctx,
            FindingKind.LOW_CONFIDENCE,
            "medium",
            f"link score {ctx.link.score:.2f} < {settings.low_confidence:.2f}",
        )
        for ctx in contexts
        if ctx.two_sided and ctx.link.score < settings.low_confidence
    ]


def find_all(contexts: list[LinkContext], settings: ReportSettings) -> list[Finding]:
    """Every finding, in the order of the document, most important kind first within a link."""
    wrong_language = find_wrong_language(contexts, settings)
    findings = [
        *find_one_sided(contexts, settings),
        *wrong_language,
        *find_number_mismatches(contexts),
        *find_identical(contexts, settings, skip={f.link_index for f in wrong_language}),
        *find_length_outliers(contexts, settings),
        *find_low_confidence(contexts, settings),
    ]
    order = {k: i for i, k in enumerate(FINDING_KINDS)}
    return sorted(findings, key=lambda f: (f.link_index, order[f.kind], f.id))
