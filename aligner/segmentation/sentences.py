"""Sentence splitting for English and Welsh, pure Python (no packaged splitter knows Welsh).

A boundary can only fall after terminal punctuation (``.``, ``!``, ``?``, ``…``) plus any closing quotes
or brackets, where whitespace follows. Whether it does depends on the word before the full stop
(abbreviation, initial, list number, ordinary word) and on the token after it (capital, digit, opening
quote, list marker, or a lower-case continuation). Welsh needs no special capital test: mutated and
digraph initials (Ll, Ch, Dd, Ff, Ng, Ph, Rh, Th, Ŵ, Ŷ) all begin with an upper-case letter. A blank line
is always a boundary, because text extraction marks paragraph ends that way.

``sentence_spans`` returns character offsets so callers keep the original text; ``split_sentences``
returns the pieces with whitespace runs collapsed, so joining them with single spaces reproduces the
whitespace-normalised input. ``split_sentences_regex`` is the naive baseline the benchmark compares with.
"""

from __future__ import annotations

import enum
import itertools
import re
from typing import Final

LANGS: Final[tuple[str, ...]] = ("en", "cy")
"""Languages with abbreviation and sentence-starter lists."""

TERMINALS: Final = ".!?…"
"""Characters that can end a sentence."""
CLOSERS: Final = "\"'”’»)]}"
"""Closing quotes and brackets that stay with the sentence they close (``."`` ``.’`` ``.)``)."""
OPENERS: Final = "\"'“‘«([{¿¡”’»"
"""Quotes and brackets skipped when looking at the first letter of the next sentence; closing quote marks are
included because typists often use them to open a quotation (’Dyw..., »Nein...)."""
NUMBER_STARTS: Final = "£$€¥§#"
"""Symbols that start an amount or reference; a sentence may begin with them as with a digit."""
BULLETS: Final = "•▪◦●‣"
"""Bullet characters that open a list item, which is a new sentence."""

MAX_LIST_NUMBER_DIGITS: Final = 3
"""Digits per level in a list number ('1.', '(12)', '2.1.'); longer numbers are years or amounts, not items."""
MAX_ROMAN_LIST_LETTERS: Final = 4
"""Letters in a roman list number ('(iv)', 'viii.'); longer runs of i/v/x are words, not item numbers."""
ATTRIBUTION_MAX_WORDS: Final = 6
"""After '?' or '!' and a closing quote, a clause of at most this many words with a speech verb ('Smith
added.') still belongs to the quotation; longer clauses are new sentences."""
LOOKAHEAD_CHARS: Final = 200
"""Characters after a candidate boundary that the rules look at: the next token and a short attribution."""

_D = MAX_LIST_NUMBER_DIGITS
_R = MAX_ROMAN_LIST_LETTERS
_LIST_NUMBER = re.compile(rf"(?:\d{{1,{_D}}}(?:\.\d{{1,{_D}}})*|[A-Za-z]|[ivxIVX]{{1,{_R}}})")
"""A list item number without its punctuation: '1', '2.1', 'a', 'iv'."""
_NEXT_LIST_MARKER = re.compile(
    rf"(?:\((?:\d{{1,{_D}}}|[A-Za-z]|[ivx]{{1,{_R}}})\)|(?:[a-z]|[ivx]{{1,{_R}}})\)|[{BULLETS}])"
)
"""A list marker opening the next sentence: '(a)', '(12)', '(iv)', 'a)', a bullet."""
_ACRONYM = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
"""Letters joined by full stops ('U.S', 'a.m', 'D.C'); the token is shown without its final full stop."""
_CANDIDATE = re.compile(rf"(?P<punct>[{re.escape(TERMINALS)}]+)(?P<close>[{re.escape(CLOSERS)}]*)(?=\s)")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_TOKEN = re.compile(r"\S+")
_LETTERS = re.compile(r"[^\W\d_]+")


class _Kind(enum.Enum):
    """How the word before a full stop bears on a boundary."""

    WORD = "word"  # an ordinary word, number, URL or e-mail address: a full stop ends the sentence
    NEVER = "never"  # titles and Latin connectives ('Mr.', 'e.g.'): always followed by more of the sentence
    NUMERIC = "numeric"  # reference words ('No.', 'para.', 's.'): no boundary before a number
    WEAK = "weak"  # initials, acronyms, company suffixes: a boundary only before a common sentence starter


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NEVER: Final = {
    "en": _words(
        "mr mrs ms mx messrs dr prof st rev revd sen sens rep reps gov capt det sgt lt col gen insp "
        "supt cllr fr hon rt mt ft pres e.g eg i.e ie cf vs v viz approx c ca incl esp et"
    ),
    "cy": _words("mr mrs ms mx dr prof st parch cyng cllr e.e h.y e.g i.e cf vs v approx c ca gw et"),
}
"""Abbreviations that are followed by a name or the rest of the sentence, never by a full stop's boundary."""
_NUMERIC: Final = {
    "en": _words(
        "no nos rhif para paras s ss art arts p pp vol vols fig figs ch chap sch reg regs sec pt cl "
        "ref tel ext jan feb mar apr jun jul aug sep sept oct nov dec"
    ),
    "cy": _words("rhif rh no t tt tud para par adr pen ff s art atod ion chwef maw ebr meh gorff hyd tach rhag"),
}
"""Reference abbreviations ('s. 12(3)', 'para. 4.2', 't. 5', 'Rhif 3', 'Oct. 2'): no boundary before a number
or bracketed item; before a capital they can end a sentence, and several are also ordinary words."""
_WEAK: Final = {
    "en": _words("ltd co inc plc corp bros jr sr snr jnr ed eds al ibid cit govt dept univ"),
    "cy": _words("cyf ltd co inc plc gol ed al ibid"),
}
"""Abbreviations that can end a sentence but are usually followed by a name ('Acme Ltd. Cardiff'):
a boundary only when a common sentence starter follows."""
_ENDING: Final = _words("etc ayb a.y.b ayyb a.y.y.b")
"""List-closing abbreviations ('etc.', 'ayb.'): they often end a sentence, so they count as ordinary words;
named so that 'a.y.b' is not taken for an acronym."""
WELSH_ONE_LETTER_WORDS: Final = frozenset("aeioy")
"""Welsh words of one letter ('wrtha i.', 'gwelais e.'): in Welsh these end sentences, they are not initials."""

_STARTERS: Final = {
    "en": _words(
        "the a an it its he she we they i you this that these those there here in on at by for from with "
        "without after before during since until while when where what why how who which if but and or so "
        "yet then also however meanwhile although though as according some many most several all both each "
        "every no none one two three our their his her my your last next today yesterday earlier later now "
        "still instead such other another more only even despite under over between among into through "
        "further finally first second third thus therefore because unless"
    ),
    "cy": _words(
        "mae roedd bydd byddai bu cafodd gall gallai dylai dywedodd gwnaeth aeth daeth nid ni na does dyw y "
        "yr yn ym yng ond os er wrth pan fe mi hefyd felly fodd ar am i o mewn gyda ac a ei eu ein eich fy "
        "hyn hynny hon hwn dyma dyna rydym rydyn rydw rwy rwyf roeddwn byddwn gallwn dylem yna wedyn erbyn "
        "cyn ers oherwydd gan heb tra pa beth pwy pam sut ble faint llawer nifer rhai pob bob un dau dwy tri "
        "tair cyhoeddwyd gwelwyd ceir nodwyd heddiw ddoe yfory eleni neithiwr bellach fore"
    ),
}
"""Words that commonly open a sentence; after an initial, acronym or company suffix only these mark a boundary
('the U.S. The report' splits, 'U.S. President' and 'J. Jones' do not)."""
_SPEECH_VERBS: Final = {
    "en": _words(
        "said says added adds asked asks told tells wrote writes reported reports explained replied "
        "continued shouted insisted tweeted recalled noted warned admitted agreed announced declared "
        "stated suggested claimed argued joked laughed cried exclaimed whispered yelled commented "
        "remarked"
    ),
    "cy": _words(
        "meddai dywedodd ychwanegodd gofynnodd atebodd ysgrifennodd esboniodd eglurodd mynnodd "
        "rhybuddiodd holodd nododd"
    ),
}
"""Verbs of a quotation's attribution ('"Are you ready?" CNN reported.')."""


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; expected one of {LANGS}")


def _word_kind(word: str, lang: str) -> _Kind:
    """Classify the word before a full stop (given without that full stop)."""
    # one letter keeps its case: 'p. 5' is a page, 'P. Diddy' an initial
    key = word if len(word) == 1 else word.casefold()
    if key in _ENDING:
        return _Kind.WORD
    if key in _NEVER[lang]:
        return _Kind.NEVER
    if key in _NUMERIC[lang]:
        return _Kind.NUMERIC
    if key in _WEAK[lang]:
        return _Kind.WEAK
    if _ACRONYM.fullmatch(word):
        return _Kind.WEAK
    if len(word) == 1 and word.isalpha():
        if lang == "cy" and word in WELSH_ONE_LETTER_WORDS:
            return _Kind.WORD
        return _Kind.WEAK
    return _Kind.WORD


class _Start(enum.Enum):
    """What the token after a candidate boundary looks like."""

    UPPER = "upper"
    DIGIT = "digit"
    MARKER = "marker"
    LOWER = "lower"
    OTHER = "other"


def _start_kind(token: str) -> _Start:
    if _NEXT_LIST_MARKER.match(token):
        return _Start.MARKER
    core = token.lstrip(OPENERS)
    if not core:
        return _Start.OTHER
    first = core[0]
    if first.isdigit() or first in NUMBER_STARTS:
        return _Start.DIGIT
    if first.isupper():
        return _Start.UPPER
    if first.islower():
        # 'iPhone', 'eBay': a lower-case brand name can open a sentence
        return _Start.UPPER if any(ch.isupper() for ch in core[1:]) and core.isalpha() else _Start.LOWER
    return _Start.OTHER


def _is_starter(token: str, lang: str) -> bool:
    core = token.lstrip(OPENERS)
    match = _LETTERS.match(core)
    if match is None or (len(match.group()) == 1 and core[1:2] == "."):
        return False  # 'J. A. Smith', 'R. O. Jones': another initial, not the word 'A' or 'O'
    return match.group().casefold() in _STARTERS[lang]


def _is_attribution(rest: str, lang: str) -> bool:
    """True when ``rest`` opens with a short clause naming the speaker ('Smith added.', 'CNN reported,')."""
    words: list[str] = []
    tokens = rest.split()
    for i, token in enumerate(tokens):
        bare = token.rstrip(TERMINALS + CLOSERS + ",;:")
        words.append(bare.casefold())
        if len(words) > ATTRIBUTION_MAX_WORDS:
            return False
        mark = token[len(bare)] if token != bare else ""
        if mark in (":", ";"):
            return False  # 'Smith added: "Such ...' introduces a new quotation
        if mark == "," and i + 1 < len(tokens) and tokens[i + 1][0] in OPENERS:
            return False  # 'She continued, "I was ...' likewise
        if mark and not (mark == "." and _word_kind(bare, lang) in (_Kind.NEVER, _Kind.WEAK)):
            break
    else:
        return False
    return any(w in _SPEECH_VERBS[lang] for w in words)


def _is_boundary(word: str, punct: str, close: str, rest: str, lang: str, list_slot: bool) -> bool:
    """Decide one candidate: ``word`` is the token before ``punct`` (with any opening quote), ``close`` the
    closing quotes after it, ``rest`` the text from the next token on, ``list_slot`` whether ``word`` stands
    where a list number can (sentence start or after a colon)."""
    start = _start_kind(rest.split(maxsplit=1)[0])
    if start in (_Start.LOWER, _Start.OTHER):
        return False  # a sentence does not open in lower case: an abbreviation or a quotation continues
    if "?" in punct or "!" in punct:
        quoted = any(ch in "\"'”’»" for ch in close)
        return not (quoted and start is _Start.UPPER and _is_attribution(rest, lang))
    if len(punct) > 1:
        return True  # ellipsis ('...', '…') or stacked marks before a capital
    if "…" in punct:
        return True
    if not word or word[-1] in CLOSERS:
        return True  # full stop after a bracket or quote: '(see annex 2). Next'
    bare = word.lstrip(OPENERS)
    if not bare:
        return True
    if list_slot and _LIST_NUMBER.fullmatch(bare):
        return False  # '1. Introduction', 'a. Scope': the number of a list item, not a sentence
    kind = _word_kind(bare, lang)
    if kind is _Kind.NEVER:
        return False
    if kind is _Kind.NUMERIC:
        return start not in (_Start.DIGIT, _Start.MARKER)
    if kind is _Kind.WEAK:
        return start is not _Start.DIGIT and _is_starter(rest, lang)
    return True


def _paragraph_boundaries(text: str, begin: int, end: int, lang: str) -> list[int]:
    """Offsets in ``text[begin:end]`` (one paragraph) where a sentence other than the first starts."""
    out: list[int] = []
    first = _TOKEN.search(text, begin, end)
    if first is None:
        return out
    sentence_start = first.start()
    for m in _CANDIDATE.finditer(text, begin, end):
        nxt = _TOKEN.search(text, m.end(), end)
        if nxt is None:
            break
        token_start = m.start()
        while token_start > begin and not text[token_start - 1].isspace():
            token_start -= 1
        prev = token_start - 1
        while prev >= begin and text[prev].isspace():
            prev -= 1
        list_slot = token_start == sentence_start or (prev >= begin and text[prev] in ":;")
        rest = text[nxt.start() : min(end, nxt.start() + LOOKAHEAD_CHARS)]
        if _is_boundary(text[token_start : m.start()], m["punct"], m["close"], rest, lang, list_slot):
            out.append(nxt.start())
            sentence_start = nxt.start()
    return out


def _spans(text: str, starts: list[int]) -> list[tuple[int, int]]:
    """Cut ``text`` at ``starts`` and trim whitespace from each piece; empty pieces are dropped."""
    spans: list[tuple[int, int]] = []
    cuts = [0, *starts, len(text)]
    for a, b in itertools.pairwise(cuts):
        piece = text[a:b]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece.rstrip())
        if trail > lead:
            spans.append((a + lead, a + trail))
    return spans


def sentence_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """``(start, end)`` character offsets of the sentences of ``text``, whitespace trimmed, in order.

    ``lang`` is 'en' or 'cy' and picks the abbreviation and sentence-starter lists.
    """
    _check_lang(lang)
    starts: list[int] = []
    begin = 0
    for brk in _PARAGRAPH_BREAK.finditer(text):
        starts.extend(_paragraph_boundaries(text, begin, brk.start(), lang))
        starts.append(brk.end())
        begin = brk.end()
    starts.extend(_paragraph_boundaries(text, begin, len(text), lang))
    return _spans(text, starts)


def _normalise(text: str) -> str:
    return " ".join(text.split())


def split_sentences(text: str, lang: str) -> list[str]:
    """The sentences of ``text`` with whitespace runs collapsed to single spaces.

    ``" ".join(split_sentences(t, lang)) == " ".join(t.split())`` for every ``t``; use ``sentence_spans`` to
    keep the original characters.
    """
    return [_normalise(text[a:b]) for a, b in sentence_spans(text, lang)]


_REGEX_BOUNDARY = re.compile(r"[.!?]\s+(?=\S)")


def regex_sentence_spans(text: str) -> list[tuple[int, int]]:
    """Baseline offsets: a boundary after every '.', '!' or '?' followed by whitespace and a capital letter."""
    starts = [m.end() for m in _REGEX_BOUNDARY.finditer(text) if text[m.end()].isupper()]
    return _spans(text, starts)


def split_sentences_regex(text: str) -> list[str]:
    """The naive regex splitter, for comparison: no abbreviations, quotes or list numbers."""
    return [_normalise(text[a:b]) for a, b in regex_sentence_spans(text)]
