"""Structural cues: labels, numbered headings in both languages, dates, amounts, and rarity weighting."""

from __future__ import annotations

from aligner.alignment.cues import CueWeights, cue_evidence, extract_cues, leading_label, normalise_label
from aligner.records import Block, BlockKind


def block(text: str, kind: BlockKind = BlockKind.PARAGRAPH, label: str | None = None) -> Block:
    return Block(id="p1-b1", kind=kind, text=text, page=1, bbox=(0, 0, 1, 1), font_size=10, bold=False, label=label)


def evidence(en: str, cy: str, context: list[str] = (), **kw):
    a, b = extract_cues(block(en, **kw)), extract_cues(block(cy, **kw))
    weights = CueWeights.fit([a, b, *(extract_cues(block(t)) for t in context)])
    return cue_evidence([a], [b], weights)


def test_labels_normalise_across_languages():
    assert normalise_label("(a)") == "a"
    assert normalise_label("1.2.") == "1.2"
    assert normalise_label("Table 3") == normalise_label("Tabl 3") == "table 3"
    assert normalise_label("Pennod 4:") == normalise_label("Chapter 4") == "chapter 4"
    assert leading_label("3.4.1 Methods and data") == "3.4.1"
    assert leading_label("(iv) the applicant") == "iv"
    assert leading_label("2019 was a hard year") is None


def test_welsh_numbered_headings_match_english():
    for en, cy in [
        ("Chapter 3 Findings", "Pennod 3 Canfyddiadau"),
        ("Annex B: Glossary", "Atodiad B: Geirfa"),
        ("Recommendation 12", "Argymhelliad 12"),
        ("Figure 2.1 Income by age", "Ffigur 2.1 Incwm yn ôl oed"),
    ]:
        ev = evidence(en, cy, kind=BlockKind.HEADING)
        assert ev.score >= 1.5 and not ev.flags, (en, cy, ev)


def test_contradicting_labels_are_strong_negative_evidence():
    same = evidence("1.2 The board met twice.", "1.2 Cyfarfu’r bwrdd ddwywaith.")
    other = evidence("1.2 The board met twice.", "1.3 Cyfarfu’r bwrdd ddwywaith.")
    assert same.score >= 2.0
    assert other.score <= -2.0 and "label-mismatch" in other.flags
    chapter = evidence("Chapter 1 Introduction", "Pennod 2 Cyflwyniad", kind=BlockKind.HEADING)
    assert chapter.score < 0 and "number-mismatch" in chapter.flags


def test_a_shared_common_number_alone_is_weak():
    """The "Chapter 1" trap: a bare 1 shared with an unrelated block must not look like a match."""
    context = [f"Item {k} of the list has 1 entry." for k in range(10)]
    ev = evidence("Chapter 1 Introduction", "Mae 1 o bob 5 person yn byw ar eu pen eu hunain.", context)
    label = evidence("Chapter 1 Introduction", "Pennod 1 Cyflwyniad", context)
    assert ev.score < 1.0
    assert label.score > ev.score + 1.0


def test_dates_amounts_percentages_urls_are_shared():
    en = extract_cues(block("On 12 March 2024 the fund paid £1,250 (5.5%) - see www.gov.wales/report or a@b.org."))
    cy = extract_cues(
        block("Ar 12 Mawrth 2024 talodd y gronfa £1,250 (5.5%) - gweler www.gov.wales/report neu a@b.org.")
    )
    for token in ("date:12/3", "year:2024", "amount:1250", "pct:5.5", "url:www.gov.wales/report", "email:a@b.org"):
        assert token in en.tokens and token in cy.tokens, token
    ev = cue_evidence([en], [cy], CueWeights.fit([en, cy]))
    assert ev.score > 1.5


def test_rare_tokens_outweigh_common_ones():
    common = [extract_cues(block(f"In 2020 we saw {k} cases.")) for k in range(20)]
    rare_a, rare_b = (
        extract_cues(block("Costs rose to £4.7m in 2020.")),
        extract_cues(block("Cododd y costau i £4.7m yn 2020.")),
    )
    weights = CueWeights.fit([*common, rare_a, rare_b])
    assert weights.weight("amount:4.7m") > 2 * weights.weight("year:2020")


def test_differing_numbers_are_flagged():
    ev = evidence(
        "The scheme paid 3,400 grants in 2019 and 2,100 in 2020.",
        "Talodd y cynllun 5,800 o grantiau yn 2017 a 1,900 yn 2018.",
    )
    assert ev.score < 0 and "number-mismatch" in ev.flags
