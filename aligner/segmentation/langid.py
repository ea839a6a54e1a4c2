"""Tell English from Welsh text.

No PyPI language identifier is both small and good at short Welsh text, and the two languages
are easy to separate by their most frequent function words and spelling, so this is a
small count-based classifier. Function words are the evidence; spelling only breaks ties, so a
block of names or figures stays "unknown" or low-confidence instead of being called wrongly.
Words that are common in both languages ("a", "i", "am", "at", "all", "do": Welsh "yes") count for
neither. Web and e-mail addresses and dotted initialisms ("P.A.Y.E.") are not words of either
language and are skipped, and a guess with no function word at all is "unknown": spelling alone
("office" has a Welsh-looking "ff") is too weak to name a language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LANGUAGES = ("en", "cy")
"""Languages the aligner reads: English and Welsh."""

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)

ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "is",
        "in",
        "that",
        "for",
        "you",
        "are",
        "be",
        "with",
        "this",
        "will",
        "have",
        "it",
        "not",
        "on",
        "or",
        "as",
        "by",
        "your",
        "if",
        "can",
        "an",
        "from",
        "was",
        "we",
        "they",
        "which",
        "has",
        "been",
        "their",
        "would",
        "should",
        "there",
        "what",
        "when",
        "who",
        "how",
        "these",
        "our",
        "were",
        "may",
        "must",
        "any",
        "into",
        "also",
        "about",
        "than",
        "other",
        "more",
        "such",
        "only",
        "do",
        "does",
        "its",
        "but",
        "he",
        "she",
        "his",
        "her",
        "him",
        "them",
        "my",
        "me",
        "us",
        "our",
        "had",
        "did",
        "said",
        "says",
        "could",
        "some",
        "after",
        "over",
        "out",
        "up",
        "just",
        "very",
        "where",
        "then",
        "now",
        "being",
        "because",
        "while",
        "before",
        "through",
        "between",
        "under",
        "without",
        "within",
        "each",
        "most",
        "many",
        "those",
        "both",
        "against",
        "during",
        "until",
        "upon",
        "whether",
        "every",
        "another",
        "own",
        "same",
        "again",
        "still",
        "even",
        "because",
        "so",
        "no",
        "yes",
        "here",
        "it's",
        "i'm",
        "you're",
        "don't",
        "can't",
        "won't",
        "isn't",
        "doesn't",
        "didn't",
        "they're",
        "we're",
        "there's",
        "that's",
        "what's",
        "people",
        "year",
        "years",
        "time",
        "first",
        "last",
        "new",
        "one",
        "two",
        "three",
        "made",
        "make",
        "get",
        "got",
        "like",
        "well",
        "way",
        "back",
        "much",
    ]
)
WELSH_WORDS = frozenset(
    """y yr ac yn o ar mae eich bod gyda ei am wedi fydd hyn sy ddim neu hefyd gan fel ond pan
    os beth oes ein eu rhaid gall hwn hon chi ni nhw ydych byddwch rydych cael gael i’r o’r
    yw ydy sydd oedd bydd dros ynghylch gwybodaeth ni’n chi’n mae’n nad drwy rhwng ble pam sut
    hynny fod gennych eisiau gyfer ôl yng ym mewn wrth heb tan hyd eto felly yma yno dyma dyna
    roedd mai nid na nac fe fo hi ef iddo iddi iddynt ohono arno amdano wnaeth gwneud wneud mwy
    iawn pob rhai dweud ddweud meddai blwyddyn blynedd flynedd amser rhan dau dwy tri un fy dy
    gyda’r gennym ganddo ganddi ganddynt arall eraill cyn ers ymhlith tuag ynglŷn
    trwy dim byth bob pryd wedyn ynddo ynddi hyd""".replace("’", "'").split()
)
_AMBIGUOUS = frozenset(["a", "i", "am", "at", "all", "do"])
_NOT_WORDS = re.compile(
    r"\b(?:https?://|www\.)\S+|\S+@\S+|\b(?:[^\W\d_]\.){2,}(?![^\W\d_])|\b[\w-]+(?:\.[\w-]+)+/\S*", re.UNICODE
)
"""URLs, e-mail addresses, bare domains with a path, and dotted initialisms ("P.A.Y.E.")."""
_WELSH_SPELLING = re.compile(r"[ŵŷâêîôû]|dd|ll|wy|yw|ae|ch|rh|ff|ng", re.IGNORECASE)
_ENGLISH_SPELLING = re.compile(r"[kqvxzj]|th[aeiouy]|sh|ck|tion|ing$|ed$|ly$", re.IGNORECASE)
_WELSH_CLITIC = re.compile(r"['’](?:r|n|w|i|m|th)$")
_ENGLISH_CLITIC = re.compile(r"['’](?:s|t|re|ve|ll|d)$")


@dataclass(frozen=True)
class LanguageGuess:
    lang: str  # "en", "cy" or "unknown"
    confidence: float  # 0..1
    words: int


def _evidence(words: list[str]) -> tuple[float, float, int]:
    """(English score, Welsh score, function words seen): function words count 1, spelling 0.25."""
    en = cy = 0.0
    function_words = 0
    for w in words:
        w = w.replace("’", "'")
        if w in _AMBIGUOUS:
            continue
        if w in ENGLISH_WORDS or _ENGLISH_CLITIC.search(w):
            en += 1
            function_words += 1
        elif w in WELSH_WORDS or _WELSH_CLITIC.search(w):
            cy += 1
            function_words += 1
        elif len(w) > 2:
            welsh = len(_WELSH_SPELLING.findall(w))
            english = len(_ENGLISH_SPELLING.findall(w))
            if welsh > english:
                cy += 0.25
            elif english > welsh:
                en += 0.25
    return en, cy, function_words


def detect_language(text: str) -> LanguageGuess:
    """Guess the language of a text from function words, falling back on spelling.

    Confidence needs function words: it is the winning margin scaled by how many were seen
    (full at 4), and stays below 0.5 when fewer than two were seen; with none, the answer is
    "unknown" (a named language at confidence 0 would still be taken as a guess).
    """
    words = [w.lower() for w in _WORD.findall(_NOT_WORDS.sub(" ", text))]
    if not words:
        return LanguageGuess("unknown", 0.0, 0)
    en, cy, function_words = _evidence(words)
    total = en + cy
    if total == 0 or en == cy or function_words == 0:
        return LanguageGuess("unknown", 0.0, len(words))
    lang = "cy" if cy > en else "en"
    confidence = abs(cy - en) / total * min(1.0, function_words / 4)
    if function_words < 2:
        confidence = min(confidence, 0.3)
    return LanguageGuess(lang, round(confidence, 3), len(words))


def document_language(texts: list[str]) -> LanguageGuess:
    """Majority language of a document, weighted by words."""
    return detect_language(" ".join(texts[:400]))


def function_word_share(texts: list[str]) -> tuple[float, int]:
    """Share of the words that are English or Welsh function words, and the word count.

    Real English or Welsh prose is about a third function words; a text layer that is a cipher or
    glyph soup has almost none, whatever its letters look like.
    """
    words = [w.lower() for text in texts for w in _WORD.findall(text)]
    if not words:
        return 1.0, 0
    _, _, function_words = _evidence(words)
    return function_words / len(words), len(words)
