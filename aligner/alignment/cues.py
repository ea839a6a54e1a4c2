"""Structural cues between an English and a Welsh block: evidence added on top of semantic similarity.

Each cue is a token that survives translation unchanged (a section label, a year, a date, an
amount, a URL, a name). Shared tokens count in proportion to how rare they are in the two
documents, so a common number such as "1" adds almost nothing and can never force a match on its
own. Numbering (labels such as 1.2, numbered units such as "section 4") is evidence for or against
a pair, never a veto: editions do renumber (footnotes after an omission, a label lost by
segmentation), so LinkScorer weighs numbering by how often it agrees on the pairs the text alone
is sure of, and a matching label only counts where the texts are plausibly alike.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aligner.records import Block, BlockKind, LinkFlag

# Welsh and English words that introduce a numbered unit, mapped to one shared name.
UNIT_WORDS: dict[str, str] = {
    "chapter": "chapter",
    "pennod": "chapter",
    "bennod": "chapter",
    "phennod": "chapter",
    "part": "part",
    "rhan": "part",
    "ran": "part",
    "section": "section",
    "adran": "section",
    "annex": "annex",
    "appendix": "annex",
    "atodiad": "annex",
    "recommendation": "recommendation",
    "argymhelliad": "recommendation",
    "table": "table",
    "tabl": "table",
    "dabl": "table",
    "figure": "figure",
    "ffigur": "figure",
    "article": "article",
    "erthygl": "article",
    "page": "page",
    "tudalen": "page",
    "dudalen": "page",
    "paragraph": "paragraph",
    "paragraff": "paragraph",
    "baragraff": "paragraph",
    "schedule": "schedule",
    "atodlen": "schedule",
    "step": "step",
    "cam": "step",
}
MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "ionawr": 1,
    "chwefror": 2,
    "mawrth": 3,
    "ebrill": 4,
    "mai": 5,
    "fai": 5,
    "mehefin": 6,
    "gorffennaf": 7,
    "orffennaf": 7,
    "awst": 8,
    "medi": 9,
    "fedi": 9,
    "hydref": 10,
    "tachwedd": 11,
    "dachwedd": 11,
    "rhagfyr": 12,
    "ragfyr": 12,
}

_UNIT_RE = re.compile(
    r"\b(" + "|".join(sorted(UNIT_WORDS, key=len, reverse=True)) + r")\s+([0-9]+(?:\.[0-9]+)*|[A-Z]|[IVXLC]+)\b",
    re.IGNORECASE,
)
_LEAD_LABEL_RE = re.compile(
    r"^\s*(?:(\d{1,3}(?:\.\d{1,3})+\.?|\d{1,3}[.)]|\d{1,3}(?=\s+[^\d\s%£$€.,:;/-]))"
    r"|\(([a-z]{1,2}|[ivxlc]{1,6}|\d{1,3})\)|([a-z]|[ivxlc]{1,6})[.)](?=\s))",
    re.IGNORECASE,
)
_URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>()]+", re.IGNORECASE)
_EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PERCENT_RE = re.compile(r"(\d+(?:[.,]\d+)?)\s?%|(\d+(?:[.,]\d+)?)\s?(?:per cent|y cant|y cannt)", re.IGNORECASE)
_AMOUNT_RE = re.compile(r"[£$€]\s?(\d[\d,]*(?:\.\d+)?)\s*(m|bn|k|million|billion|miliwn|biliwn)?", re.IGNORECASE)
_NUMBER_RE = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?![\w])")
_YEAR_RE = re.compile(r"^(1[89]\d\d|20\d\d)$")
_DATE_RE = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th|fed|ain|af|ed|ydd)?\s+(?:o\s+|of\s+)?(?:fis\s+)?([A-Za-z]+)", re.IGNORECASE
)
_WORD_RE = re.compile(r"[A-Z][\w’'-]*[A-Za-z]|[A-Z]{2,}")
_SENT_START_RE = re.compile(r"(?:^|[.!?:;]\s+|[•\u2022(“\"]\s*)([A-Z][\w’'-]*)")

# Label evidence is fixed (labels are unique and specific); token evidence scales with rarity.


@dataclass(frozen=True)
class CueParams:
    """Weights of structural evidence (log-odds-like units); part of AlignParams and its signature."""

    label_match: float = 2.5
    """Same numbering label on the first block of each side ("3.2" and "3.2")."""
    label_conflict: float = -3.0
    """Different labels: evidence against the link, weighed against the text, never a veto."""
    unit_match: float = 1.5
    """A shared numbered unit ("section 4", "adran 4")."""
    unit_conflict: float = -2.0
    """Numbered units of the same kind that differ."""
    kind_mismatch: float = -0.3
    """A heading against a paragraph, a table cell against a footnote..."""
    level_mismatch: float = -0.3
    """Headings of different levels."""
    token_scale: float = 0.35
    """Gain per unit of rarity weight of the shared tokens (numbers, dates, names, URLs)..."""
    token_missing: float = 0.15
    """...and loss per unit of weight of checked tokens (numbers, dates...) found on one side only..."""
    token_cap: float = 2.5
    """...each capped at this, so a long table row cannot outweigh the text."""
    missing_weight_cap: float = 3.0
    """Largest rarity weight one missing token can carry."""
    short_number_weight: float = 0.5
    """Weight factor of bare numbers of up to 4 characters: they recur as counts, list numbers, dates."""
    numbering_prior_agree: float = 3.0
    """Trust in numbering is (agreeing + this) / (text-sure labelled pairs + this + numbering_prior_conflict):
    pseudo-counts of pairs whose numbering agrees..."""
    numbering_prior_conflict: float = 0.5
    """...and disagrees, before the document's own pairs are counted (0.86 trust with no evidence)."""
    label_match_floor: float = 0.5
    """Share of its weight a matching label keeps at normalised similarity label_match_sim_low or below..."""
    label_match_sim_low: float = 0.2
    """...(texts no more alike than unrelated ones: a matching label there is how a shifted pair looks)..."""
    label_match_sim_high: float = 1.0
    """...rising to its full weight at this similarity."""


DEFAULT_CUES = CueParams()
_CHECKED = ("num:", "year:", "pct:", "amount:", "date:", "url:", "email:")
"""Token types that a faithful translation keeps: one present on only one side counts against a pair."""


@dataclass(frozen=True)
class BlockCues:
    """The translation-invariant tokens of one block, typed (``year:2024``, ``pct:5``, ``name:Cardiff``)."""

    label: str | None
    units: frozenset[str]
    tokens: frozenset[str]
    kind: BlockKind
    level: int | None
    chars: int
    checked: frozenset[str] = frozenset()
    """The tokens whose absence from the other side counts against a pair (numbers, dates, URLs...)."""
    bare_label: bool = False
    """The block is nothing but a label ("2.6"): a label the segmenter split off its paragraph."""


def normalise_label(label: str | None) -> str | None:
    """Compare labels as written without brackets or trailing dots: ``(a)`` -> ``a``, ``1.2.`` -> ``1.2``."""
    if not label:
        return None
    core = label.strip().strip("()[]").rstrip(".:)").strip().lower()
    named = _UNIT_RE.fullmatch(core)
    if named:
        return f"{UNIT_WORDS[named.group(1).lower()]} {named.group(2).lower()}"
    return core or None


def leading_label(text: str) -> str | None:
    """The number or letter a paragraph starts with (``1.2``, ``(a)``, ``iv)``), if any."""
    m = _LEAD_LABEL_RE.match(text)
    if not m:
        return None
    return normalise_label(next(g for g in m.groups() if g))


def strip_leading_label(text: str) -> str:
    """``text`` without the number or letter it starts with, if it starts with one (see leading_label)."""
    m = _LEAD_LABEL_RE.match(text)
    return text[m.end() :].lstrip() if m else text


def _numbers(text: str) -> list[str]:
    return [n.replace(",", "") for n in _NUMBER_RE.findall(text)]


def extract_cues(block: Block) -> BlockCues:
    text = block.text
    label = normalise_label(block.label) or leading_label(text)
    lead = _LEAD_LABEL_RE.match(text)
    if lead and label:
        text = text[lead.end() :]  # the label is numbering, counted once as a label, not also as a number
    units = frozenset(f"{UNIT_WORDS[w.lower()]}:{n.lower()}" for w, n in _UNIT_RE.findall(text))
    tokens: set[str] = set()
    for url in _URL_RE.findall(text):
        tokens.add("url:" + url.lower().rstrip(".,;:").removeprefix("https://").removeprefix("http://"))
    for mail in _EMAIL_RE.findall(text):
        tokens.add("email:" + mail.lower())
    stripped = _EMAIL_RE.sub(" ", _URL_RE.sub(" ", text))
    for a, b in _PERCENT_RE.findall(stripped):
        tokens.add("pct:" + (a or b).replace(",", "."))
    for amount, scale in _AMOUNT_RE.findall(stripped):
        tokens.add("amount:" + amount.replace(",", "") + (scale[:1].lower() if scale else ""))
    for day, month in _DATE_RE.findall(stripped):
        if month.lower() in MONTHS and 1 <= int(day) <= 31:
            tokens.add(f"date:{int(day)}/{MONTHS[month.lower()]}")
    for n in _numbers(stripped):
        tokens.add(("year:" if _YEAR_RE.match(n) else "num:") + n)
    starts = {m.group(1) for m in _SENT_START_RE.finditer(stripped)}
    for word in _WORD_RE.findall(stripped):
        if word not in starts and len(word) >= 3 and word.lower() not in UNIT_WORDS and word.lower() not in MONTHS:
            tokens.add("name:" + word)
    for ref in block.footnote_refs:
        tokens.add("fn:" + ref)
    checked = frozenset(t for t in tokens if t.startswith(_CHECKED))
    bare = label is not None and not text.strip(" .:)(")
    return BlockCues(label, units, frozenset(tokens), block.kind, block.level, len(block.text), checked, bare)


@dataclass(frozen=True)
class CueWeights:
    """Rarity weight of each token over both documents: log(1 + blocks / blocks containing it).

    Weights are computed once per document pair because cue evidence is asked for every cell of the
    alignment band.
    """

    weights: dict[str, float]
    default: float

    @classmethod
    def fit(
        cls, cues: Iterable[BlockCues], short_number_weight: float = DEFAULT_CUES.short_number_weight
    ) -> CueWeights:
        cues = list(cues)
        df: Counter[str] = Counter()
        for c in cues:
            df.update(c.tokens)
        n = max(len(cues), 2)
        weights = {}
        for t, d in df.items():
            w = math.log(1 + n / d)
            if t.startswith("num:") and len(t) <= 5:
                w *= short_number_weight  # "1", "12" recur as counts, list numbers and dates
            weights[t] = w
        return cls(weights, math.log(1 + n))

    def weight(self, token: str) -> float:
        return self.weights.get(token, self.default)


@dataclass(frozen=True)
class CueEvidence:
    score: float
    """Log-odds-like evidence; positive supports the pair, negative contradicts it."""
    flags: tuple[LinkFlag, ...]
    numbering_match: float = 0.0
    """The part of ``score`` from matching labels and numbered units..."""
    numbering_conflict: float = 0.0
    """...and from contradicting ones (negative): LinkScorer rescales both by the document's trust in numbering."""


def _kind_group(kind: BlockKind) -> str:
    return {
        BlockKind.TABLE_CELL: "table",
        BlockKind.TABLE_ROW: "table",
        BlockKind.TOC_ENTRY: "toc",
        BlockKind.FOOTNOTE: "footnote",
    }.get(kind, kind.value)


def _union(cues: Sequence[BlockCues], attr: str) -> frozenset[str]:
    if len(cues) == 1:
        return getattr(cues[0], attr)
    return frozenset().union(*(getattr(c, attr) for c in cues))


def cue_evidence(
    en: Sequence[BlockCues], cy: Sequence[BlockCues], weights: CueWeights, params: CueParams = DEFAULT_CUES
) -> CueEvidence:
    """Evidence that the English blocks ``en`` and Welsh blocks ``cy`` are one link."""
    if not en or not cy:
        return CueEvidence(0.0, ())
    flags: list[LinkFlag] = []
    score = 0.0
    match = conflict = 0.0
    # Only the first block of each side can carry the label that identifies the link.
    la, lb = en[0].label, cy[0].label
    if la and lb:
        if la == lb:
            match += params.label_match
        else:
            conflict += params.label_conflict
            flags.append(LinkFlag.LABEL_MISMATCH)
    ua = _union(en, "units")
    ub = _union(cy, "units")
    if ua and ub:
        shared = ua & ub
        if shared:
            match += params.unit_match
        elif {u.split(":")[0] for u in ua} & {u.split(":")[0] for u in ub}:
            conflict += params.unit_conflict
            flags.append(LinkFlag.NUMBER_MISMATCH)
    score += match + conflict
    ta = _union(en, "tokens")
    tb = _union(cy, "tokens")
    if ta or tb:
        w, default = weights.weights, weights.default
        shared_w = sum(w.get(t, default) for t in ta & tb)
        missing = (_union(en, "checked") - tb) | (_union(cy, "checked") - ta)
        missing_w = sum(min(w.get(t, default), params.missing_weight_cap) for t in missing)
        score += min(params.token_cap, params.token_scale * shared_w) - min(
            params.token_cap, params.token_missing * missing_w
        )
        if missing_w > params.missing_weight_cap and shared_w < missing_w:
            flags.append(LinkFlag.NUMBER_MISMATCH)
    if len(en) == 1 and len(cy) == 1:
        if _kind_group(en[0].kind) != _kind_group(cy[0].kind):
            score += params.kind_mismatch
        elif en[0].level and cy[0].level and en[0].level != cy[0].level:
            score += params.level_mismatch
    return CueEvidence(score, tuple(dict.fromkeys(flags)), match, conflict)
