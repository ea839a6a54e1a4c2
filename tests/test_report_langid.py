"""Per-block language check on real English and Welsh text: it must not call a block the wrong language."""

from __future__ import annotations

import pytest
from report_support import SHARED_DATA, gold_files, gold_rows

from aligner.segmentation.langid import detect_language, document_language

NTREX = SHARED_DATA / "parallel" / "ntrex128"
pytestmark = pytest.mark.skipif(not NTREX.is_dir(), reason=f"shared data not found at {SHARED_DATA}")


def _lines(name: str) -> list[str]:
    return (NTREX / name).read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("name, lang", [("newstest2019-ref.eng-GB.txt", "en"), ("newstest2019-ref.cym.txt", "cy")])
@pytest.mark.parametrize("first_words", [None, 6])
def test_news_sentences_are_never_confidently_wrong(name, lang, first_words):
    """The report flags a block at confidence >= 0.5 and >= 5 words: on 1,997 real sentences that never misfires."""
    wrong, confident_right, n = [], 0, 0
    for line in _lines(name):
        text = " ".join(line.split()[:first_words]) if first_words else line
        guess = detect_language(text)
        n += 1
        if guess.lang not in (lang, "unknown") and guess.confidence >= 0.5 and guess.words >= 5:
            wrong.append(text)
        confident_right += guess.lang == lang and guess.confidence >= 0.5
    assert wrong == []
    assert confident_right / n > (0.9 if first_words is None else 0.7)


def test_gold_paragraphs_are_never_called_the_other_language():
    """Except text the Welsh edition prints in English: rows noted ``untranslated`` (code snippets in
    the mark scheme) and rows identical in both editions (a pseudo-code block), which are English."""
    files = gold_files()
    if not files:
        pytest.skip("no gold files")
    wrong = []
    for path in files:
        for row in gold_rows(path):
            if "untranslated" in row["note"] or row["en"] == row["cy"]:
                continue
            for lang in ("en", "cy"):
                for text in row[lang].split(" ¶ "):
                    if detect_language(text).lang not in (lang, "unknown"):
                        wrong.append((path.name, lang, text))
    assert wrong == []


def test_zero_evidence_is_unknown():
    """Form labels with no function word, addresses and initialisms are no language at all."""
    for text in ["Tribunal office", "Address", "Total allowances", "Data.access@justice.gov.uk", "P.A.Y.E."]:
        guess = detect_language(text)
        assert (guess.lang, guess.confidence) == ("unknown", 0.0), (text, guess)
    assert detect_language("Do. Ewch i adran 5").lang in ("cy", "unknown")  # Welsh "Do" is "yes"
    assert detect_language("What do you do if you are recalled?").lang == "en"


def test_short_and_non_linguistic_text_is_unknown_or_unconfident():
    for text in ["2024", "www.gov.uk/recall", "PPCS", "COM or RO", "Kit Harington", "£5m – 15%"]:
        guess = detect_language(text)
        assert guess.lang == "unknown" or guess.confidence < 0.5, (text, guess)


def test_document_language():
    assert document_language(_lines("newstest2019-ref.cym.txt")[:50]).lang == "cy"
    assert document_language(_lines("newstest2019-ref.eng-GB.txt")[:50]).lang == "en"
