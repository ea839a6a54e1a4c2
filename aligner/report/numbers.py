"""Numbers written in digits, compared between an English paragraph and its Welsh translation.

A translator may legitimately turn "5" into "pump" or "1st" into "cyntaf", or write "£5m" as
"£5 miliwn"; only digits that cannot be explained that way count as a mismatch.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_NUMBER = re.compile(
    r"(?P<cur>[£$€])?\s?"
    r"(?P<num>\d{1,2}:\d{2}(?!\d)|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<mag>(?:\s?(?:million|miliwn|filiwn|billion|biliwn|thousand|mil|fil)\b)|(?:(?:m|bn|k)\b))?(?P<pct>%)?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

_MAGNITUDE = {
    "million": 1e6,
    "miliwn": 1e6,
    "filiwn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "biliwn": 1e9,
    "bn": 1e9,
    "thousand": 1e3,
    "mil": 1e3,
    "fil": 1e3,
    "k": 1e3,
}
_CURRENCY_ONLY = {"m", "bn", "k"}

# Cardinal and ordinal words (with the common Welsh mutations) that may stand for digits on the other side.
_NUMBER_WORDS: dict[str, int] = {}
for _value, _words in {
    0: "zero nil none dim",
    1: "one a an first once single un cyntaf gyntaf unwaith",
    2: "two second twice double dau ddau dwy ddwy ail dwywaith",
    3: "three third tri thri tair dair trydydd drydydd trydedd drydedd",
    4: "four fourth pedwar bedwar phedwar pedair bedair phedair pedwerydd bedwerydd pedwaredd",
    5: "five fifth pump bump pum bum phump phum pumed bumed",
    6: "six sixth chwech chwe chweched",
    7: "seven seventh saith seithfed",
    8: "eight eighth wyth wythfed",
    9: "nine ninth naw nawfed",
    10: "ten tenth deg ddeg deng ddeng degfed ddegfed",
    11: "eleven eleventh",
    12: "twelve twelfth dozen deuddeg ddeuddeg deuddegfed",
    13: "thirteen",
    14: "fourteen fortnight",
    15: "fifteen pymtheg bymtheg",
    16: "sixteen",
    17: "seventeen",
    18: "eighteen deunaw ddeunaw",
    19: "nineteen",
    20: "twenty ugain hugain",
    30: "thirty",
    40: "forty deugain",
    50: "fifty hanner",
    60: "sixty trigain",
    70: "seventy",
    80: "eighty",
    90: "ninety",
    100: "hundred cant gant chant",
    1000: "thousand mil fil",
    1000000: "million miliwn filiwn",
}.items():
    for _w in _words.split():
        _NUMBER_WORDS[_w] = _value


@dataclass(frozen=True)
class NumberMismatch:
    """Numbers found on one side only, after number words have been allowed for: (value, as printed)."""

    en_extra: tuple[tuple[float, str], ...]
    cy_extra: tuple[tuple[float, str], ...]

    @property
    def en_only(self) -> tuple[str, ...]:
        return tuple(p for _, p in self.en_extra)

    @property
    def cy_only(self) -> tuple[str, ...]:
        return tuple(p for _, p in self.cy_extra)

    def without(self, en_values: set[float], cy_values: set[float]) -> NumberMismatch | None:
        """The mismatch less the numbers whose value, or numeral as printed, is in the given sets."""
        en = tuple(x for x in self.en_extra if not {x[0], _numeral(x[1])} & en_values)
        cy = tuple(x for x in self.cy_extra if not {x[0], _numeral(x[1])} & cy_values)
        return NumberMismatch(en, cy) if en or cy else None

    def values(self, side: str) -> set[float]:
        """Values and bare numerals on one side, for cancelling against a neighbouring link."""
        extra = self.en_extra if side == "en" else self.cy_extra
        return {v for v, _ in extra} | {_numeral(p) for _, p in extra}


def _numeral(printed: str) -> float:
    m = _NUMBER.search(printed)
    return float(m.group("num").replace(",", "").replace(":", ".")) if m else float("nan")


def extract_numbers(text: str) -> list[tuple[float, str]]:
    """(value, as printed) for each number written in digits; ``1,000`` and ``1000`` have the same value."""
    found = []
    for m in _NUMBER.finditer(text):
        start = m.start("num")
        if start > 0 and (text[start - 1].isalpha() or text[start - 1] in "_"):
            continue  # part of a code or name such as "A4" or "B12"
        value = float(m.group("num").replace(",", "").replace(":", "."))
        mag = (m.group("mag") or "").strip().lower()
        if mag and (mag not in _CURRENCY_ONLY or m.group("cur")):
            value *= _MAGNITUDE[mag]
        found.append((value, m.group(0).strip()))
    return found


def _word_values(text: str) -> set[float]:
    return {float(_NUMBER_WORDS[w]) for w in (w.lower() for w in _WORD.findall(text)) if w in _NUMBER_WORDS}


def compare_numbers(en_text: str, cy_text: str) -> NumberMismatch | None:
    """Numbers that differ between the two texts, or None when every digit is accounted for."""
    en = extract_numbers(en_text)
    cy = extract_numbers(cy_text)
    if not en and not cy:
        return None
    en_count = Counter(v for v, _ in en)
    cy_count = Counter(v for v, _ in cy)
    en_extra = en_count - cy_count
    cy_extra = cy_count - en_count
    if not en_extra and not cy_extra:
        return None
    en_extra = Counter({v: n for v, n in en_extra.items() if v not in _word_values(cy_text)})
    cy_extra = Counter({v: n for v, n in cy_extra.items() if v not in _word_values(en_text)})
    if not en_extra and not cy_extra:
        return None
    return NumberMismatch(
        en_extra=tuple((v, p) for v, p in en if v in en_extra),
        cy_extra=tuple((v, p) for v, p in cy if v in cy_extra),
    )
