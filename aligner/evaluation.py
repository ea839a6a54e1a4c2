"""Score a system alignment against gold, independently of how either side was segmented.

Both files are tables with ``en`` and ``cy`` columns, one link (unit) per row in document order;
` ¶ ` joins the paragraphs of a many-to-one side and an empty cell makes a one-sided row.

Method. Each language's cells are tokenised (NFKC, case-folded word tokens: letters and digits;
punctuation, bullets, ` ¶ ` and `|` vanish; a paragraph with no word, such as a form's "£", "%" or
"/ /" box, is its symbols instead, see ``cell_tokens``) and concatenated into one stream per file.
The gold and system streams of each language are matched token by token (a longest common
subsequence of the token sequences, see ``match_tokens``; ~1 s for 100,000 tokens), so a system that
cut, merged or lost paragraphs differently from the gold is still compared on the same words. A
second pass pairs what is left unmatched on both sides wherever >= 4 tokens in a row agree, out of
order, so a unit the system put elsewhere (a footnote placed at another point of the reading order)
is still found. A third pass (``_pair_identical_rows``) pairs gold and system rows that no strict
match explains but that have identical tokens on both sides, so short repeated cells ("Yes",
"£") in another order or in a moved section are found too. For a gold unit *k* and a system
link *l*, ``ov_x(k, l)`` is the number of *k*'s tokens in language *x* matched to tokens of *l*.
A side of a row with no tokens counts as empty; a row with none at all (only bullets or pipes) is
ignored.

Scores (a ratio with nothing to count is 1.0: no one-sided gold unit means none was missed):

* **strict** P/R/F1: a system link is correct when one gold unit of the same shape (two-sided,
  English-only or Welsh-only) and it cover each other: on every non-empty side, ``ov >= 90%`` of
  the gold unit's tokens and ``>= 90%`` of the link's. P = correct links / system links;
  R = gold units with a correct link / gold units.
* **soft** P/R/F1 (token-pair overlap, macro-averaged): a two-sided link stands for the pairs
  E x C of its English and Welsh tokens, an English-only link for the pairs (e, nothing), a
  Welsh-only one for (nothing, c). A system link's precision is the share of its pairs that are
  gold pairs, ``sum_k ov_en*ov_cy / (|E_l|*|C_l|)`` over two-sided *k* (one-sided: ``sum_k ov / |l|``
  over gold units one-sided on the same side); a gold unit's recall is the same share the other
  way. P and R are the means over system links and gold units. A merge of two gold units loses
  precision in proportion to the cross pairs it invents, a split loses recall likewise.
* **omission** P/R: R = share of gold one-sided units whose tokens are >= 90% inside system links
  one-sided on the same side; P = share of system one-sided links whose tokens are >= 90% inside
  gold units one-sided on the same side.
* **coverage** per language: share of gold tokens matched to a system token (what the system's
  text extraction and segmentation lost), and the reverse share for system tokens.
"""

from __future__ import annotations

import bisect
import os
import re
import unicodedata
from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
from rapidfuzz.distance import Indel, Levenshtein

COVER = 0.9
"""Share of tokens that must be covered both ways for a strict match or an omission match."""
ANCHOR_K = 3
MOVED_MIN = 4
"""Shortest run of equal tokens that the out-of-order second pass matches (shorter ones are chance)."""
CANDIDATES = 8
"""System occurrences of a k-gram the second pass tries for one gold position (bounds the work)."""
DIRECT_LCS_CELLS = 4_000_000
"""Below this many (gold x system) token pairs, the LCS runs directly without anchors."""
MAX_LCS_CELLS = 2_000_000_000
"""rapidfuzz's LCS keeps a bit matrix (cells / 8 bytes); above this a linear-memory edit alignment is used."""

_TOKEN = re.compile(r"[^\W_]+")
LANGS = ("en", "cy")


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


_PARAGRAPH_JOIN = re.compile(r"\s*\u00b6\s*")
_NOT_SYMBOLS = str.maketrans("", "", "|\u2022\u25e6\u25aa\u2023\u2043\u00b7\uf0b7")
"""Pipes and bullet glyphs: layout, never a unit's content."""


def cell_tokens(text: str) -> list[str]:
    """``tokenize`` per paragraph of a cell, except that a paragraph with no word at all gives its
    whitespace-separated symbol chunks ("£", "%", "/ /", a stray "."): forms print such boxes as units
    of their own, and without tokens the evaluator would not see them (a system could drop or merge
    them for free). Only word-less paragraphs do this, so detached punctuation next to words
    ("Yes ." from an extractor) still vanishes as in ``tokenize``."""
    out: list[str] = []
    for part in _PARAGRAPH_JOIN.split(text):
        words = tokenize(part)
        if not words:
            symbols = unicodedata.normalize("NFKC", part).translate(_NOT_SYMBOLS).casefold()
            words = symbols.split()
        out.extend(words)
    return out


@dataclass(frozen=True)
class _Table:
    """One file's token streams: per row and language, the span of its tokens in the stream."""

    spans: dict[str, list[tuple[int, int]]]
    tokens: dict[str, list[str]]

    @property
    def rows(self) -> int:
        return len(self.spans["en"])

    def size(self, lang: str, row: int) -> int:
        start, end = self.spans[lang][row]
        return end - start

    def shape(self, row: int) -> str:
        en, cy = self.size("en", row), self.size("cy", row)
        return "both" if en and cy else "en" if en else "cy"

    def row_of_token(self, lang: str) -> list[int]:
        owner = [0] * len(self.tokens[lang])
        for row, (start, end) in enumerate(self.spans[lang]):
            owner[start:end] = [row] * (end - start)
        return owner


def _table(frame: pd.DataFrame) -> _Table:
    spans: dict[str, list[tuple[int, int]]] = {"en": [], "cy": []}
    tokens: dict[str, list[str]] = {"en": [], "cy": []}
    for en_text, cy_text in zip(frame["en"].fillna("").astype(str), frame["cy"].fillna("").astype(str)):
        row_tokens = {"en": cell_tokens(en_text), "cy": cell_tokens(cy_text)}
        if not row_tokens["en"] and not row_tokens["cy"]:
            continue
        for lang in LANGS:
            start = len(tokens[lang])
            tokens[lang].extend(row_tokens[lang])
            spans[lang].append((start, len(tokens[lang])))
    return _Table(spans, tokens)


def _unique_anchors(a: list[int], b: list[int]) -> list[tuple[int, int]]:
    """Positions of k-grams occurring exactly once in both sequences, longest monotone chain only."""

    def once(seq: list[int]) -> dict[tuple[int, ...], int]:
        first: dict[tuple[int, ...], int] = {}
        repeated: set[tuple[int, ...]] = set()
        for i in range(len(seq) - ANCHOR_K + 1):
            gram = tuple(seq[i : i + ANCHOR_K])
            if gram in first:
                repeated.add(gram)
            else:
                first[gram] = i
        return {g: i for g, i in first.items() if g not in repeated}

    in_b = once(b)
    pairs = sorted((i, in_b[g]) for g, i in once(a).items() if g in in_b)
    # longest increasing subsequence of the b positions (patience sorting)
    tails: list[int] = []
    tail_at: list[int] = []
    back = [-1] * len(pairs)
    for n, (_, j) in enumerate(pairs):
        pos = bisect.bisect_left(tails, j)
        back[n] = tail_at[pos - 1] if pos else -1
        if pos == len(tails):
            tails.append(j)
            tail_at.append(n)
        else:
            tails[pos], tail_at[pos] = j, n
    chain, n = [], tail_at[-1] if tail_at else -1
    while n >= 0:
        chain.append(pairs[n])
        n = back[n]
    return chain[::-1]


def _equal_runs(opcodes, min_len: int) -> list[tuple[int, int, int]]:
    return [(a0, b0, a1 - a0) for tag, a0, a1, b0, _ in opcodes if tag == "equal" and a1 - a0 >= min_len]


def _anchors(a: list[int], b: list[int]) -> list[tuple[int, int, int]]:
    """(gold start, system start, length) of runs that surely match, in order; [] if none are needed."""
    cells = len(a) * len(b)
    if cells <= DIRECT_LCS_CELLS:
        return []
    anchors = [(i, j, ANCHOR_K) for i, j in _unique_anchors(a, b)]
    if anchors or cells <= MAX_LCS_CELLS:
        return anchors
    # long repetitive text with no unique k-gram: the long runs of a linear-memory edit alignment
    return _equal_runs(Levenshtein.opcodes(a, b), 2 * ANCHOR_K)


def _match(a: list[int], b: list[int], i0: int, j0: int, out: list[tuple[int, int]]) -> None:
    """Patience-style: split at anchors (recomputed inside each gap), LCS on what is left."""
    if not a or not b:
        return
    anchors = _anchors(a, b)
    if not anchors:
        ops = Indel.opcodes(a, b) if len(a) * len(b) <= MAX_LCS_CELLS else Levenshtein.opcodes(a, b)
        for a0, b0, n in _equal_runs(ops, 1):
            out.extend(zip(range(i0 + a0, i0 + a0 + n), range(j0 + b0, j0 + b0 + n)))
        return
    pi = pj = 0
    for i, j, n in anchors:
        if i < pi or j < pj:
            continue  # overlaps the previous anchor
        _match(a[pi:i], b[pj:j], i0 + pi, j0 + pj, out)
        out.extend((i0 + i + t, j0 + j + t) for t in range(n))
        pi, pj = i + n, j + n
    _match(a[pi:], b[pj:], i0 + pi, j0 + pj, out)


def _free_runs(used: bytearray) -> list[int]:
    """For each position, how many unused positions start there (0 if it is used)."""
    run = [0] * (len(used) + 1)
    for i in range(len(used) - 1, -1, -1):
        run[i] = 0 if used[i] else run[i + 1] + 1
    return run


def _equal_free_run(
    a: list[int], b: list[int], i: int, j: int, used_a: bytearray, used_b: bytearray, cuts_a: set[int], cuts_b: set[int]
) -> int:
    """How many equal free tokens from (i, j), up to the next row start on either side (a moved run
    that went on into the next row would take a word the next row's own match needs)."""
    n = 0
    while (
        i + n < len(a)
        and j + n < len(b)
        and not used_a[i + n]
        and not used_b[j + n]
        and a[i + n] == b[j + n]
        and (n == 0 or ((i + n) not in cuts_a and (j + n) not in cuts_b))
    ):
        n += 1
    return n


def _short_runs(pairs: list[tuple[int, int]], cuts_a: set[int], cuts_b: set[int]) -> set[int]:
    """Indices into ``pairs`` (monotone) of the pieces shorter than MOVED_MIN of runs of consecutive
    pairs, runs being cut where a row starts on either side."""
    short: set[int] = set()
    start = 0
    for n in range(1, len(pairs) + 1):
        if (
            n == len(pairs)
            or pairs[n] != (pairs[n - 1][0] + 1, pairs[n - 1][1] + 1)
            or pairs[n][0] in cuts_a
            or pairs[n][1] in cuts_b
        ):
            if n - start < MOVED_MIN:
                short.update(range(start, n))
            start = n
    return short


def _rematch_moved(
    a: list[int], b: list[int], pairs: list[tuple[int, int]], cuts_a: set[int], cuts_b: set[int]
) -> list[tuple[int, int]]:
    """Add out-of-order matches: each run of >= MOVED_MIN equal tokens that the monotone match left
    unmatched on both sides, found through its first MOVED_MIN-gram and extended while tokens agree.

    Tokens held only by a short piece of a monotone run (shorter than MOVED_MIN once runs are cut
    at row starts) count as free: the LCS glues words next to a moved unit to it by chance (gold
    "… Corea | Mae'n foment hanesyddol" against system "… Corea | Mae Gogledd …" takes "Mae" from
    the moved note). They keep their monotone partner unless a long run takes them. Greedy in gold
    order, the monotone partner first, else the first free system occurrence; linear in the stream
    lengths.
    """
    if len(pairs) == min(len(a), len(b)):
        return pairs
    k = MOVED_MIN
    short = _short_runs(pairs, cuts_a, cuts_b)
    used_a, used_b = bytearray(len(a)), bytearray(len(b))
    partner = dict(pairs)
    for n, (i, j) in enumerate(pairs):
        if n not in short:
            used_a[i] = used_b[j] = 1
    free_a, free_b = _free_runs(used_a), _free_runs(used_b)
    where: dict[tuple[int, ...], deque[int]] = defaultdict(deque)
    for j in range(len(b) - k + 1):
        if free_b[j] >= k:
            where[tuple(b[j : j + k])].append(j)
    moved: list[tuple[int, int]] = []
    i = 0
    while i <= len(a) - k:
        if free_a[i] < k:
            i += free_a[i] or 1
            continue
        gram = tuple(a[i : i + k])
        cands = where.get(gram) or deque()
        while cands and any(used_b[cands[0] : cands[0] + k]):
            cands.popleft()
        tries = [partner[i]] if i in partner else []
        tries += [cands[t] for t in range(min(len(cands), CANDIDATES))]
        found = next(
            ((j, n) for j in tries if (n := _equal_free_run(a, b, i, j, used_a, used_b, cuts_a, cuts_b)) >= k), None
        )
        if found is None:
            i += 1
            continue
        j, n = found
        for t in range(n):
            used_a[i + t] = used_b[j + t] = 2
            moved.append((i + t, j + t))
        i += n
    if not moved:
        return pairs
    kept = [(i, j) for n, (i, j) in enumerate(pairs) if n not in short or (used_a[i] != 2 and used_b[j] != 2)]
    return sorted(kept + moved)


def match_tokens(
    gold: list[str], system: list[str], gold_starts: Iterable[int] = (), system_starts: Iterable[int] = ()
) -> list[tuple[int, int]]:
    """Pairs (gold index, system index) of matched tokens, in gold order.

    A longest common subsequence (rapidfuzz ``Indel``), made fast on long documents the way
    patience diff is: k-grams that occur once in both streams anchor the match, and the LCS runs
    only on the gaps between anchors. Very long text with no unique k-gram (the same passage
    repeated throughout) is anchored on the long identical runs of a Levenshtein alignment, which
    needs linear memory. Where the LCS has ties, a few tokens next to a lost passage may be credited
    to the lost passage instead of the kept one. Then runs of >= MOVED_MIN equal tokens that are
    unmatched on both sides are paired out of order (``_rematch_moved``), so these pairs are not
    always increasing on the system side. ``gold_starts``/``system_starts``: token indices where a
    row starts (optional; they let the second pass free chance matches at unit edges).
    """
    vocab: dict[str, int] = {}
    a = [vocab.setdefault(t, len(vocab)) for t in gold]
    b = [vocab.setdefault(t, len(vocab)) for t in system]
    out: list[tuple[int, int]] = []
    _match(a, b, 0, 0, out)
    return _rematch_moved(a, b, out, set(gold_starts), set(system_starts))


def _ratio(num: float, den: float) -> float:
    return num / den if den else 1.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class EvalScores:
    strict_precision: float
    strict_recall: float
    strict_f1: float
    soft_precision: float
    soft_recall: float
    soft_f1: float
    omission_precision: float
    omission_recall: float
    coverage_en: float
    coverage_cy: float
    system_in_gold_en: float
    system_in_gold_cy: float
    gold_units: int
    system_links: int
    strict_correct: int
    gold_one_sided: int
    system_one_sided: int
    gold_tokens_en: int
    gold_tokens_cy: int
    system_tokens_en: int
    system_tokens_cy: int
    strict_rows: frozenset[int] = field(default=frozenset(), compare=False, repr=False)
    """Indices of the system rows that are strictly correct (what calibration checks a score against)."""

    def to_dict(self) -> dict[str, float | int]:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items() if k != "strict_rows"}

    def format_table(self) -> str:
        lines = [
            f"{'':<16}{'precision':>10}{'recall':>10}{'F1':>10}",
            f"{'strict':<16}{self.strict_precision:>10.3f}{self.strict_recall:>10.3f}{self.strict_f1:>10.3f}",
            f"{'soft':<16}{self.soft_precision:>10.3f}{self.soft_recall:>10.3f}{self.soft_f1:>10.3f}",
            (
                f"{'omission':<16}{self.omission_precision:>10.3f}{self.omission_recall:>10.3f}"
                f"{_f1(self.omission_precision, self.omission_recall):>10.3f}"
            ),
            "",
            f"{'':<16}{'en':>10}{'cy':>10}",
            f"{'gold covered':<16}{self.coverage_en:>10.3f}{self.coverage_cy:>10.3f}",
            f"{'system in gold':<16}{self.system_in_gold_en:>10.3f}{self.system_in_gold_cy:>10.3f}",
            "",
            (
                f"gold: {self.gold_units} units ({self.gold_one_sided} one-sided), "
                f"{self.gold_tokens_en} en / {self.gold_tokens_cy} cy tokens"
            ),
            (
                f"system: {self.system_links} links ({self.system_one_sided} one-sided, {self.strict_correct} "
                f"strictly correct), {self.system_tokens_en} en / {self.system_tokens_cy} cy tokens"
            ),
        ]
        return "\n".join(lines)


Pairs = dict[str, list[tuple[int, int]]]
"""Matched token pairs (gold index, system index) per language."""


def _overlaps(gold: _Table, system: _Table, pairs: Pairs) -> dict[str, Counter[tuple[int, int]]]:
    """Per language, how many tokens of gold row k are matched to tokens of system row l."""
    out: dict[str, Counter[tuple[int, int]]] = {}
    for lang in LANGS:
        g_owner, s_owner = gold.row_of_token(lang), system.row_of_token(lang)
        out[lang] = Counter((g_owner[i], s_owner[j]) for i, j in pairs[lang])
    return out


def _strict_links(gold: _Table, system: _Table, overlap: dict[str, Counter[tuple[int, int]]]) -> dict[int, int]:
    """Gold row -> system row for the strict matches (same shape, >= COVER covered both ways on every side)."""
    links: dict[int, int] = {}
    for k, l in set(overlap["en"]) | set(overlap["cy"]):
        shape = gold.shape(k)
        if shape != system.shape(l):
            continue
        sides = LANGS if shape == "both" else (shape,)
        if all(
            overlap[x][k, l] >= COVER * gold.size(x, k) and overlap[x][k, l] >= COVER * system.size(x, l) for x in sides
        ):
            links[k] = l
    return links


def _pair_identical_rows(gold: _Table, system: _Table, pairs: Pairs) -> Pairs:
    """Re-pair gold rows that no system link strictly matches with textually identical system rows
    (same tokens on both sides) that no gold unit strictly matches.

    The token passes cannot place short units that repeat and come in another order: forms are full
    of identical "Yes"/"Ydy" or "£" cells, runs under MOVED_MIN tokens are not matched out of order,
    and the monotone match gives such a token to whichever identical cell is in order, so the English
    and Welsh of one unit end up credited to different links. Identical rows are the same unit
    wherever they stand. Among several candidates, the one next to the system partner of the previous
    or next gold row wins (a moved section keeps its cells together), else the first in system order.
    """
    strict = _strict_links(gold, system, _overlaps(gold, system, pairs))
    taken = set(strict.values())

    def key(table: _Table, row: int) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(table.tokens[x][slice(*table.spans[x][row])]) for x in LANGS)

    free: defaultdict[tuple[tuple[str, ...], ...], list[int]] = defaultdict(list)
    for l in range(system.rows):
        if l not in taken:
            free[key(system, l)].append(l)
    repaired: dict[int, int] = {}
    for k in range(gold.rows):
        if k in strict or not (cands := free.get(key(gold, k))):
            continue
        near = {strict.get(k - 1, repaired.get(k - 1, -2)) + 1, strict.get(k + 1, -2) - 1}
        l = next((c for c in cands if c in near), cands[0])
        cands.remove(l)
        repaired[k] = l
    if not repaired:
        return pairs
    out: Pairs = {}
    for x in LANGS:
        drop_g = {i for k in repaired for i in range(*gold.spans[x][k])}
        drop_s = {j for l in repaired.values() for j in range(*system.spans[x][l])}
        kept = [(i, j) for i, j in pairs[x] if i not in drop_g and j not in drop_s]
        new = [
            (i, j) for k, l in repaired.items() for i, j in zip(range(*gold.spans[x][k]), range(*system.spans[x][l]))
        ]
        out[x] = sorted(kept + new)
    return out


def evaluate_frames(gold_df: pd.DataFrame, system_df: pd.DataFrame) -> EvalScores:
    """Score ``system_df`` against ``gold_df`` (both with ``en`` and ``cy`` columns); see the module doc."""
    gold, system = _table(gold_df), _table(system_df)
    pairs: Pairs = {
        lang: match_tokens(
            gold.tokens[lang], system.tokens[lang], (a for a, _ in gold.spans[lang]), (a for a, _ in system.spans[lang])
        )
        for lang in LANGS
    }
    pairs = _pair_identical_rows(gold, system, pairs)
    overlap = _overlaps(gold, system, pairs)
    matched = {lang: len(pairs[lang]) for lang in LANGS}

    def ov(lang: str, k: int, l: int) -> int:
        return overlap[lang].get((k, l), 0)

    touching = set(overlap["en"]) | set(overlap["cy"])
    strict_sys: set[int] = set()
    strict_gold: set[int] = set()
    soft_p: defaultdict[int, float] = defaultdict(float)
    soft_r: defaultdict[int, float] = defaultdict(float)
    strict = _strict_links(gold, system, overlap)
    strict_gold.update(strict)
    strict_sys.update(strict.values())
    for k, l in touching:
        shape = gold.shape(k)
        if shape != system.shape(l):
            continue
        sides = LANGS if shape == "both" else (shape,)
        shared, g_pairs, s_pairs = 1, 1, 1
        for x in sides:
            shared *= ov(x, k, l)
            g_pairs *= gold.size(x, k)
            s_pairs *= system.size(x, l)
        soft_p[l] += shared / s_pairs
        soft_r[k] += shared / g_pairs

    gold_one = [k for k in range(gold.rows) if gold.shape(k) != "both"]
    sys_one = [l for l in range(system.rows) if system.shape(l) != "both"]
    omitted_in_sys: Counter[int] = Counter()
    omitted_in_gold: Counter[int] = Counter()
    for k, l in touching:
        shape = gold.shape(k)
        if shape != "both" and shape == system.shape(l):
            omitted_in_sys[k] += ov(shape, k, l)
            omitted_in_gold[l] += ov(shape, k, l)
    om_recall = sum(omitted_in_sys[k] >= COVER * gold.size(gold.shape(k), k) for k in gold_one)
    om_precision = sum(omitted_in_gold[l] >= COVER * system.size(system.shape(l), l) for l in sys_one)

    sp = _ratio(len(strict_sys), system.rows)
    sr = _ratio(len(strict_gold), gold.rows)
    pp = _ratio(sum(min(1.0, soft_p[l]) for l in range(system.rows)), system.rows)
    pr = _ratio(sum(min(1.0, soft_r[k]) for k in range(gold.rows)), gold.rows)
    return EvalScores(
        strict_precision=sp,
        strict_recall=sr,
        strict_f1=_f1(sp, sr),
        soft_precision=pp,
        soft_recall=pr,
        soft_f1=_f1(pp, pr),
        omission_precision=_ratio(om_precision, len(sys_one)),
        omission_recall=_ratio(om_recall, len(gold_one)),
        coverage_en=_ratio(matched["en"], len(gold.tokens["en"])),
        coverage_cy=_ratio(matched["cy"], len(gold.tokens["cy"])),
        system_in_gold_en=_ratio(matched["en"], len(system.tokens["en"])),
        system_in_gold_cy=_ratio(matched["cy"], len(system.tokens["cy"])),
        gold_units=gold.rows,
        system_links=system.rows,
        strict_correct=len(strict_sys),
        gold_one_sided=len(gold_one),
        system_one_sided=len(sys_one),
        gold_tokens_en=len(gold.tokens["en"]),
        gold_tokens_cy=len(gold.tokens["cy"]),
        system_tokens_en=len(system.tokens["en"]),
        system_tokens_cy=len(system.tokens["cy"]),
        strict_rows=frozenset(strict_sys),
    )


def read_links_table(path: str | os.PathLike) -> pd.DataFrame:
    """A gold or system file as a frame with ``en`` and ``cy``: TSV or CSV, or our JSONL output."""
    path = Path(path)
    if path.suffix.lower() == ".jsonl":
        from aligner.io.tabular import alignment_to_frame, read_alignment

        return alignment_to_frame(read_alignment(path))
    from aligner.io.tabular import read_table

    return read_table(path)


def evaluate_files(gold_tsv: str | os.PathLike, system_tsv: str | os.PathLike) -> EvalScores:
    return evaluate_frames(read_links_table(gold_tsv), read_links_table(system_tsv))
