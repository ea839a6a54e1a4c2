"""Glyph-level decisions the reader makes while it groups characters into words.

* Icon glyphs are furniture, not text: a symbol/dingbat/icon font (Webdings, Wingdings, ZapfDingbats,
  icon fonts) maps its pictures to ordinary letters and digits ("n", "4"), and private-use-area code
  points have no meaning as text. Each such glyph becomes a word of its own holding ``ICON_GLYPH``;
  the line builder turns one at the start of a line into a bullet and drops the rest. An unnamed
  font counts as an icon font on a page where it prints only lone ASCII letters and its family
  sets no words there (an icon font embedded under a made-up name).
* A size change inside a word does not always end it: the raised ordinal of "31st" and small capitals
  after a larger initial ("DEVELOPMENT" set as a large D and smaller EVELOPMENT) belong to the word.
  A larger initial that pdfium separated with a space from its small capitals is joined back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

BULLETS = frozenset("•◦▪▫■□●○‣⁃∙·–-*\uf0b7\uf0a7\uf076\uf0d8\uf0fc\u2043\u25aa\u25cf\u27a2")
"""Glyphs that mark a list item when they stand alone at the start of a line."""

LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
    "\uf001": "fi",  # legacy fonts put the fi/fl ligatures in the private use area
    "\uf002": "fl",
}
"""Ligature glyphs and what they stand for (segmentation expands them; icon checks leave them alone)."""


ICON_GLYPH = "\ufdd0"
"""Stands for one icon glyph (a Unicode noncharacter, so it can never be real text)."""
BOX_GLYPHS = frozenset("☐☑☒□▢▫◻◽⬜❏❐❑❒")
"""Characters that print an empty or ticked box: a form's tick box typed as text (Word's "☐ Yes"),
read as a drawn tick box is, not as a word."""
BOX_GLYPH = "\ufdd1"
"""Stands for one tick box printed as a character (another noncharacter); the reader turns such
words into tick boxes."""

_ICON_FONT = re.compile(r"webdings|wingding|dingbat|zapf|icon|awesome|glyph|marlett|bookshelf", re.IGNORECASE)
"""Font names whose glyphs are pictures (Symbol is not here: it sets bullets and Greek letters)."""
_NOT_ICON_FONT = re.compile(r"math|ital|oblique", re.IGNORECASE)
"""Fonts that set single letters as text (maths variables, italic letters): never icon fonts."""
_STYLE = re.compile(r"[-,].*$")

SUPERSCRIPT_MAX_RATIO = 0.85
"""A raised ordinal suffix ("st" of "31st") is at most this share of the digits' size."""
SUPERSCRIPT_RISE = 0.15
"""... and its baseline sits at least this share of the digits' size above theirs."""
SMALL_CAPS_MIN_RATIO = 0.55
"""Small capitals after a larger initial are at least this share of the initial's size."""
SMALL_CAPS_MAX_RATIO = 0.95
"""... and at most this share: anything closer in size is the same type, not small capitals."""
SAME_BASELINE = 0.12
"""Baselines within this share of the larger size count as one baseline."""
TOUCHING_GAP = 0.08
"""Glyphs closer than this share of the smaller size touch (no space between them)."""
INITIAL_GAP = 0.6
"""A large initial and its small capitals may be this share of the small size apart (pdfium may
report a space there, from the initial's wide advance)."""
_OPENERS = "‘“'\"(["


def is_private_use(ch: str) -> bool:
    """A private-use-area code point that is not a known bullet (Symbol's U+F0B7...) or ligature (U+F001 fi)."""
    code = ord(ch)
    private = 0xE000 <= code <= 0xF8FF or 0xF0000 <= code <= 0x10FFFD
    return private and ch not in BULLETS and ch not in LIGATURES


def family(font: str) -> str:
    """Font family without subset prefix and style: "ABCDEE+Calibri,Bold" -> "calibri"."""
    return _STYLE.sub("", font.split("+", 1)[-1]).lower()


def icon_fonts(runs: Iterable[tuple[str, str]]) -> frozenset[str]:
    """Fonts of one page whose glyphs are pictures.

    ``runs`` gives (font, text) for each stretch of consecutive non-space characters in one font.
    """
    lone_only: dict[str, bool] = {}
    for font, text in runs:
        lone = len(text) == 1 and text.isascii() and text.isalpha()
        lone_only[font] = lone_only.get(font, True) and lone
    named = {f for f in lone_only if _ICON_FONT.search(f)}
    text_families = {family(f) for f, lone in lone_only.items() if not lone and f not in named}
    unnamed = {
        f
        for f, lone in lone_only.items()
        if lone and f and f not in named and not _NOT_ICON_FONT.search(f) and family(f) not in text_families
    }
    return frozenset(named | unnamed)


def keeps_word(
    prev: str, ch: str, prev_size: float, size: float, prev_bottom: float, bottom: float, gap: float
) -> bool:
    """A size change that stays inside the word: a raised ordinal after digits, or small capitals
    (or the rest of a word) after a larger initial on the same baseline, with no gap between."""
    if gap > TOUCHING_GAP * min(size, prev_size):
        return False
    if size < prev_size and prev.isdigit() and ch.isalpha() and ch.islower():
        return size <= SUPERSCRIPT_MAX_RATIO * prev_size and bottom <= prev_bottom - SUPERSCRIPT_RISE * prev_size
    return (
        SMALL_CAPS_MIN_RATIO * prev_size <= size <= SMALL_CAPS_MAX_RATIO * prev_size
        and prev.isalpha()
        and prev.isupper()
        and ch.isalpha()
        and abs(bottom - prev_bottom) <= SAME_BASELINE * prev_size
    )


def _initial(w) -> bool:
    """A single capital letter, perhaps after an opening quote or bracket."""
    core = w.text.lstrip(_OPENERS)
    return len(core) == 1 and core.isalpha() and core.isupper()


def _height(w) -> float:
    """Box height: a word that starts with a larger initial is as tall as the initial, whatever its size."""
    return w.bottom - w.top


def join_initials(words: list) -> list:
    """Join a larger initial capital to the small capitals that follow it ("D EVELOPMENT" ->
    "DEVELOPMENT"): same baseline, the next word all capitals, close by, and shorter but not tiny
    (a next word with its own larger initial, "A TITLE", is as tall as the initial)."""
    out: list = []
    for w in words:
        prev = out[-1] if out else None
        if (
            prev is not None
            and _initial(prev)
            and w.text[:1].isalpha()
            and w.text.upper() == w.text
            and SMALL_CAPS_MIN_RATIO * _height(prev) <= _height(w) <= SMALL_CAPS_MAX_RATIO * _height(prev)
            and abs(w.bottom - prev.bottom) <= SAME_BASELINE * prev.size
            and 0 <= w.x0 - prev.x1 <= INITIAL_GAP * w.size
        ):
            out[-1] = prev._replace(
                text=prev.text + w.text,
                size=w.size,  # the word is set in the size of its small capitals
                x1=w.x1,
                top=min(prev.top, w.top),
                bottom=max(prev.bottom, w.bottom),
                tag_end=w.tag_end,
            )
            continue
        out.append(w)
    return out
