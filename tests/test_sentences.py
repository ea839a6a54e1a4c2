"""Sentence splitting in English and Welsh: each rule on report-like text, and F1 on real NTREX news."""

from __future__ import annotations

import itertools

import pytest
from bench_support import load_benchmark

from aligner.segmentation.sentences import (
    sentence_spans,
    split_sentences,
    split_sentences_regex,
)

CASES = [
    # --- the brief's Welsh example: 'adran 12(3)', 'e.e.' before lower case, 'Athro' and an initial
    (
        "cy",
        "Gweler adran 12(3) o'r Ddeddf, e.e. y rheolau. Mae'r Athro J. Jones yn cytuno.",
        ["Gweler adran 12(3) o'r Ddeddf, e.e. y rheolau.", "Mae'r Athro J. Jones yn cytuno."],
    ),
    # --- abbreviations that never end a sentence
    (
        "en",
        "Mr. Adams and Mrs. Evans met Dr. Price at St. David's. Prof. Ng chaired.",
        ["Mr. Adams and Mrs. Evans met Dr. Price at St. David's.", "Prof. Ng chaired."],
    ),
    (
        "cy",
        "Cyfarfu Mr. Adams â Dr. Price yn Nhyddewi. Cadeiriodd y Parch. Huw Jones.",
        ["Cyfarfu Mr. Adams â Dr. Price yn Nhyddewi.", "Cadeiriodd y Parch. Huw Jones."],
    ),
    (
        "en",
        "Some bodies, e.g. Natural Resources Wales, agreed. Others, i.e. Ofwat, did not.",
        ["Some bodies, e.g. Natural Resources Wales, agreed.", "Others, i.e. Ofwat, did not."],
    ),
    (
        "cy",
        "Roedd rhai cyrff, e.e. Cyfoeth Naturiol Cymru, yn cytuno. Roedd eraill, h.y. Ofwat, yn anghytuno.",
        [
            "Roedd rhai cyrff, e.e. Cyfoeth Naturiol Cymru, yn cytuno.",
            "Roedd eraill, h.y. Ofwat, yn anghytuno.",
        ],
    ),
    (
        "en",
        "Compare Smith vs. Jones, cf. Evans. It costs approx. Five pounds more.",
        ["Compare Smith vs. Jones, cf. Evans.", "It costs approx. Five pounds more."],
    ),
    # --- abbreviations that can end a sentence
    (
        "en",
        "We fund roads, rail, buses etc. The plan covers all of them. Buses, trains etc. are included.",
        [
            "We fund roads, rail, buses etc.",
            "The plan covers all of them.",
            "Buses, trains etc. are included.",
        ],
    ),
    (
        "cy",
        "Rydym yn ariannu ffyrdd, rheilffyrdd ayb. Mae'r cynllun yn eu cynnwys. Bysiau, trenau ayb. sydd wedi'u cynnwys.",
        [
            "Rydym yn ariannu ffyrdd, rheilffyrdd ayb.",
            "Mae'r cynllun yn eu cynnwys.",
            "Bysiau, trenau ayb. sydd wedi'u cynnwys.",
        ],
    ),
    (
        "en",
        "The contract went to Acme Ltd. Cardiff Council signed it. It was Smith & Co. The firm agreed.",
        [
            "The contract went to Acme Ltd. Cardiff Council signed it.",
            "It was Smith & Co.",
            "The firm agreed.",
        ],
    ),
    (
        "cy",
        "Aeth y contract i Acme Cyf. Caerdydd. Mae'r cwmni wedi cytuno.",
        ["Aeth y contract i Acme Cyf. Caerdydd.", "Mae'r cwmni wedi cytuno."],
    ),
    (
        "cy",
        "Golygwyd y gyfrol gan J. Davies (gol.). Mae hi ar t. 45 ac yn tt. 46-50.",
        ["Golygwyd y gyfrol gan J. Davies (gol.).", "Mae hi ar t. 45 ac yn tt. 46-50."],
    ),
    # --- numbered references
    (
        "en",
        "See No. 10 and Rhif 3. See s. 12(3), para. 4.2 and art. 5 of the Act. It applies.",
        ["See No. 10 and Rhif 3.", "See s. 12(3), para. 4.2 and art. 5 of the Act.", "It applies."],
    ),
    (
        "cy",
        "Gweler Rhif 3 ac adran 12(3). Gweler para. 4.2 ac art. 5. Mae'n berthnasol.",
        ["Gweler Rhif 3 ac adran 12(3).", "Gweler para. 4.2 ac art. 5.", "Mae'n berthnasol."],
    ),
    ("en", "The answer was No. Then we moved on.", ["The answer was No.", "Then we moved on."]),
    # --- initials
    (
        "en",
        "The book is by J. R. R. Tolkien. George W. Bush read it.",
        ["The book is by J. R. R. Tolkien.", "George W. Bush read it."],
    ),
    (
        "cy",
        "Ysgrifennwyd y llyfr gan J. R. R. Tolkien. Darllenodd R. S. Thomas ef. Atebodd T. O. Jones.",
        ["Ysgrifennwyd y llyfr gan J. R. R. Tolkien.", "Darllenodd R. S. Thomas ef.", "Atebodd T. O. Jones."],
    ),
    (
        "en",
        "The report was by John A. Smith and J. A. Jones. A review followed. Plan B. The second option.",
        [
            "The report was by John A. Smith and J. A. Jones.",
            "A review followed.",
            "Plan B.",
            "The second option.",
        ],
    ),
    (
        "en",
        "The U.S. Navy agreed at 7 p.m. ET on Monday. He now lives in the U.S. The move was planned.",
        ["The U.S. Navy agreed at 7 p.m. ET on Monday.", "He now lives in the U.S.", "The move was planned."],
    ),
    # --- Welsh one-letter words end sentences
    (
        "cy",
        "Dywedodd hi hynny wrtha i. Gwelais e. Roedd o yno.",
        ["Dywedodd hi hynny wrtha i.", "Gwelais e.", "Roedd o yno."],
    ),
    # --- decimals and amounts
    (
        "en",
        "Spending rose to £1.5m. That is 2.5% more than 3.14 times the 2019 figure. £2m was saved.",
        ["Spending rose to £1.5m.", "That is 2.5% more than 3.14 times the 2019 figure.", "£2m was saved."],
    ),
    (
        "cy",
        "Cododd y gwariant i £1.5m. Mae hynny 2.5% yn fwy. 3.14 yw'r gymhareb.",
        ["Cododd y gwariant i £1.5m.", "Mae hynny 2.5% yn fwy.", "3.14 yw'r gymhareb."],
    ),
    # --- list numbering at sentence start
    (
        "en",
        "1. Introduction. This report covers Wales. 2. Scope. 2.1 The scope is wide.",
        ["1. Introduction.", "This report covers Wales.", "2. Scope.", "2.1 The scope is wide."],
    ),
    (
        "cy",
        "1. Cyflwyniad. Mae'r adroddiad yn cwmpasu Cymru. (a) Mae'r cwmpas yn eang. (b) Mae'n glir.",
        [
            "1. Cyflwyniad.",
            "Mae'r adroddiad yn cwmpasu Cymru.",
            "(a) Mae'r cwmpas yn eang.",
            "(b) Mae'n glir.",
        ],
    ),
    ("en", "The steps are: 1. Plan the work. 2. Do it.", ["The steps are: 1. Plan the work.", "2. Do it."]),
    # --- quotes and brackets after the full stop
    (
        "en",
        'He said: "The decision is final." The board agreed. (See annex 2.) It was minuted.',
        ['He said: "The decision is final."', "The board agreed.", "(See annex 2.)", "It was minuted."],
    ),
    (
        "cy",
        "Dywedodd: “Mae’r penderfyniad yn derfynol.” Cytunodd y bwrdd. Mae’n ‘ddiogel’. Yna aeth adref.",
        [
            "Dywedodd: “Mae’r penderfyniad yn derfynol.”",
            "Cytunodd y bwrdd.",
            "Mae’n ‘ddiogel’.",
            "Yna aeth adref.",
        ],
    ),
    (
        "cy",
        "Dywedodd ei fod yn ‘hapus iawn.’ Mae’r gwaith yn parhau.",
        ["Dywedodd ei fod yn ‘hapus iawn.’", "Mae’r gwaith yn parhau."],
    ),
    # --- ellipses
    (
        "en",
        "We waited… Then the results came. It was good... but not perfect... And then it rained.",
        ["We waited…", "Then the results came.", "It was good... but not perfect...", "And then it rained."],
    ),
    (
        "cy",
        "Arhoson ni… Yna daeth y canlyniadau. Roedd yn dda ... ond nid yn berffaith.",
        ["Arhoson ni…", "Yna daeth y canlyniadau.", "Roedd yn dda ... ond nid yn berffaith."],
    ),
    # --- URLs and e-mail addresses
    (
        "en",
        "Visit https://gov.wales/report?id=3. Write to info@example.co.uk. Or see www.gov.uk. Thanks.",
        [
            "Visit https://gov.wales/report?id=3.",
            "Write to info@example.co.uk.",
            "Or see www.gov.uk.",
            "Thanks.",
        ],
    ),
    (
        "cy",
        "Ewch i https://llyw.cymru/adroddiad. E-bostiwch ymholiadau@enghraifft.cymru. Diolch.",
        ["Ewch i https://llyw.cymru/adroddiad.", "E-bostiwch ymholiadau@enghraifft.cymru.", "Diolch."],
    ),
    # --- question and exclamation marks
    (
        "en",
        'Is it fair? We think so! "Who pays?" he asked. "Are you ready?" CNN reported. Yes.',
        ["Is it fair?", "We think so!", '"Who pays?" he asked.', '"Are you ready?" CNN reported.', "Yes."],
    ),
    (
        "en",
        '"Can we end poverty?" Someone added: "It will take time." Agreed.',
        ['"Can we end poverty?"', 'Someone added: "It will take time."', "Agreed."],
    ),
    (
        "cy",
        "A yw'n deg? Rydym yn credu hynny! “Pwy sy'n talu?” gofynnodd ef. Ydy.",
        ["A yw'n deg?", "Rydym yn credu hynny!", "“Pwy sy'n talu?” gofynnodd ef.", "Ydy."],
    ),
    # --- lower case continues after an abbreviation or unknown short form
    (
        "en",
        "Costs fell approx. three per cent in the dept. of health.",
        ["Costs fell approx. three per cent in the dept. of health."],
    ),
    ("en", "Prices rose. iPhones sold well.", ["Prices rose.", "iPhones sold well."]),
    # --- Welsh mutated and digraph capitals start sentences
    (
        "cy",
        (
            "Roedd yn dda. Llywodraeth Cymru sy'n talu. Chwaraeodd ran. Ddoe daeth y newyddion. "
            "Ffermwyr sy'n elwa. Rhoddodd arian. Pha un sydd orau? Thalodd neb. Ŵyr y cyngor sy'n ennill."
        ),
        [
            "Roedd yn dda.",
            "Llywodraeth Cymru sy'n talu.",
            "Chwaraeodd ran.",
            "Ddoe daeth y newyddion.",
            "Ffermwyr sy'n elwa.",
            "Rhoddodd arian.",
            "Pha un sydd orau?",
            "Thalodd neb.",
            "Ŵyr y cyngor sy'n ennill.",
        ],
    ),
]


@pytest.mark.parametrize("lang,text,expected", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_split(lang, text, expected):
    assert split_sentences(text, lang) == expected


@pytest.mark.parametrize("lang,text,expected", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_spans_keep_every_character(lang, text, expected):
    spans = sentence_spans(text, lang)
    assert [text[a:b] for a, b in spans] == expected  # inputs are single-spaced
    assert all(not text[b:c].strip() for (_, b), (c, _) in itertools.pairwise(spans))
    assert " ".join(split_sentences(text, lang)) == " ".join(text.split())


def test_whitespace_is_normalised_but_offsets_point_at_the_original():
    text = "  First  line\nstill first.\tSecond\u00a0one.  \n"
    assert split_sentences(text, "en") == ["First line still first.", "Second one."]
    assert [text[a:b] for a, b in sentence_spans(text, "en")] == [
        "First  line\nstill first.",
        "Second\u00a0one.",
    ]


def test_blank_line_ends_a_sentence():
    assert split_sentences("Heading without a stop\n\nMae'r testun yn dechrau.", "cy") == [
        "Heading without a stop",
        "Mae'r testun yn dechrau.",
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_empty(text):
    assert split_sentences(text, "en") == []
    assert sentence_spans(text, "cy") == []


def test_unknown_language():
    with pytest.raises(ValueError, match="unsupported language"):
        split_sentences("Hello.", "fr")


def test_regex_baseline_splits_naively():
    assert split_sentences_regex("Mr. Adams paid £1.5m. It rose 2.5%. e.g. this") == [
        "Mr.",
        "Adams paid £1.5m.",
        "It rose 2.5%. e.g. this",
    ]


def test_ntrex_boundary_f1():
    """Real news text: F1 >= 0.98 per language (blocks protocol, see the benchmark's docstring)."""
    bench = load_benchmark("sentence_split_bench")
    root = bench.ntrex_dir()
    if not (root / "DOCUMENT_IDS.tsv").is_file():
        pytest.skip(f"NTREX-128 not found in {root} (set ALIGNER_SHARED_DATA)")
    results = bench.evaluate(bench.load_documents(), sentence_spans, "blocks")
    for lang, (total, per_doc) in results.items():
        assert len(per_doc) == 123
        assert total.f1 >= 0.98, f"{lang}: F1 {total.f1:.3f} (P {total.precision:.3f}, R {total.recall:.3f})"


def test_random_text_keeps_every_character():
    """Whatever the input, the spans are ordered, trimmed, non-empty and cover all non-space characters."""
    import random

    rng = random.Random(9)
    alphabet = list("aA .!?…\"'“”‘’()£1.5 \n\tLlCh e.g. Mr. etc. ayb. 2.1 (a) www.x.cymru Mae The")
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        for lang in ("en", "cy"):
            spans = sentence_spans(text, lang)
            cuts = [0, *(i for span in spans for i in span), len(text)]
            assert cuts == sorted(cuts)
            assert all(text[a:b].strip() == text[a:b] != "" for a, b in spans)
            assert all(not text[a:b].strip() for a, b in zip(cuts[::2], cuts[1::2]))  # only space between
            assert " ".join(split_sentences(text, lang)) == " ".join(text.split())
