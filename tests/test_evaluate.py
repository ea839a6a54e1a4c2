"""The evaluator on the real gold files: identity, hand-computed perturbations, segmentation independence, speed."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from aligner.cli import app
from aligner.evaluation import cell_tokens, evaluate_files, evaluate_frames, match_tokens, tokenize
from aligner.io.tabular import read_alignment, write_alignment
from devtools.devdata import shared_data_dir

SHARED_DATA = shared_data_dir()
GOLD = SHARED_DATA / "gold"
GOLD_FILES = sorted(GOLD.glob("*.gold.tsv")) if GOLD.is_dir() else []
NTREX = SHARED_DATA / "parallel" / "ntrex128"
needs_gold = pytest.mark.skipif(not GOLD_FILES, reason=f"shared gold data not found at {GOLD}")
SINGLE_VS_JOINT = GOLD / "mas-single-vs-joint.gold.tsv"

# Tokens per row of mas-single-vs-joint (English, Welsh), counted by hand: "you'll" and "chi’n" are two tokens.
EN_TOKENS = [47, 19, 44, 32, 29, 14]
CY_TOKENS = [62, 18, 52, 40, 40, 16]


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", quoting=csv.QUOTE_NONE, dtype=str, keep_default_na=False)


def _scores(gold: pd.DataFrame, system: pd.DataFrame) -> dict:
    return evaluate_frames(gold, system).to_dict()


def test_tokenize_ignores_punctuation_bullets_and_pilcrows() -> None:
    assert tokenize("• Mae’r daflen ¶ hon | ar GAEL – yn 2024.") == [
        "mae",
        "r",
        "daflen",
        "hon",
        "ar",
        "gael",
        "yn",
        "2024",
    ]
    assert tokenize("ﬁxed-term") == ["fixed", "term"]


def test_word_less_paragraphs_are_their_symbols() -> None:
    """Form boxes ("£", "%", "/ /") are units; detached punctuation next to words still vanishes."""
    assert cell_tokens("£") == ["£"] and cell_tokens("/ /") == ["/", "/"] and cell_tokens(".") == ["."]
    assert cell_tokens("Amount ¶ £") == ["amount", "£"]
    assert cell_tokens("Yes .") == ["yes"] and cell_tokens("• ¶ |") == []


@needs_gold
def test_hand_counted_token_lengths() -> None:
    gold = _read(SINGLE_VS_JOINT)
    assert [len(tokenize(t)) for t in gold["en"]] == EN_TOKENS
    assert [len(tokenize(t)) for t in gold["cy"]] == CY_TOKENS


@needs_gold
@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda p: p.name.split(".")[0])
def test_gold_against_itself_is_perfect(gold: Path) -> None:
    scores = evaluate_files(gold, gold).to_dict()
    assert {k: v for k, v in scores.items() if isinstance(v, float) and v != 1.0} == {}
    assert scores["strict_correct"] == scores["gold_units"] == scores["system_links"] == len(_read(gold))


LAA_FORM = GOLD / "laa-civmeans7-form.gold.tsv"


def _laa_rows() -> list[dict[str, str]]:
    return _read(LAA_FORM)[["en", "cy"]].to_dict("records")


def _strict(system: list[dict[str, str]]) -> tuple[int, int, int]:
    s = _scores(_read(LAA_FORM), pd.DataFrame(system))
    return s["strict_correct"], s["gold_units"], s["system_links"]


@needs_gold
def test_reordered_identical_short_cells_still_match() -> None:
    """Rows 16/18 are "Yes"/"Ydy" and "No"/"Nac ydy" (one or two tokens, repeated all over the form):
    a system that lists No before Yes, or swaps two Yes cells with different Welsh, links them right."""
    rows = _laa_rows()
    assert (rows[16]["en"], rows[18]["en"], rows[39]["en"], rows[39]["cy"]) == ("Yes", "No", "Yes", "Ie")
    system = list(rows)
    system[16], system[18] = system[18], system[16]
    assert _strict(system) == (391, 391, 391)
    system = list(rows)
    system[16], system[39] = system[39], system[16]
    assert _strict(system) == (391, 391, 391)
    # pairing Yes with the Welsh "No" (and the reverse) is two wrong links, not hidden by the repair
    system = [dict(r) for r in rows]
    system[16]["cy"], system[18]["cy"] = system[18]["cy"], system[16]["cy"]
    assert _strict(system) == (389, 391, 391)
    # "%" and "£" cells are scored: swapping their Welsh is wrong, dropping one is a miss
    system = [dict(r) for r in rows]
    assert (system[71]["en"], system[74]["en"]) == ("%", "£")
    system[71]["cy"], system[74]["cy"] = system[74]["cy"], system[71]["cy"]
    assert _strict(system) == (389, 391, 391)
    assert _strict(rows[:60] + rows[61:]) == (390, 391, 390)
    # the repair pairs identical rows only: a "Yes" merged with its routing line, a dropped "Yes" or
    # one split into an English-only and a Welsh-only link are still errors
    merged = {side: rows[16][side] + " " + rows[17][side] for side in ("en", "cy")}
    assert _strict(rows[:16] + [merged] + rows[18:]) == (389, 391, 390)
    assert _strict(rows[:21] + rows[22:]) == (390, 391, 390)
    assert _strict(rows[:16] + [{"en": "Yes", "cy": ""}, {"en": "", "cy": "Ydy"}] + rows[17:]) == (390, 391, 392)


@needs_gold
@pytest.mark.parametrize(("start", "end", "to"), [(38, 48, 100), (15, 25, 60), (56, 80, 200)])
def test_moved_form_section_still_matches(start: int, end: int, to: int) -> None:
    """A question with its Yes/No cells, or a table of "£"/"%" cells, printed elsewhere is still found."""
    rows = _laa_rows()
    rest = rows[:start] + rows[end:]
    assert _strict(rest[:to] + rows[start:end] + rest[to:]) == (391, 391, 391)


@needs_gold
def test_merged_link_and_dropped_row() -> None:
    """Rows 2 and 3 merged into one 2-2 link, row 5 (29 en / 40 cy tokens) missing from the system."""
    gold = _read(SINGLE_VS_JOINT)
    merged = {"en": gold.en[1] + " ¶ " + gold.en[2], "cy": gold.cy[1] + " ¶ " + gold.cy[2]}
    keep = gold[["en", "cy"]].to_dict("records")
    system = pd.DataFrame([keep[0], merged, keep[3], keep[5]])
    s = _scores(gold, system)
    assert (s["system_links"], s["strict_correct"]) == (4, 3)
    assert s["strict_precision"] == 0.75 and s["strict_recall"] == 0.5 and s["strict_f1"] == 0.6
    # the merge implies (19+44) x (18+52) pairs, of which 19x18 + 44x52 are gold pairs
    merge_precision = (19 * 18 + 44 * 52) / ((19 + 44) * (18 + 52))
    soft_p, soft_r = (3 + merge_precision) / 4, 5 / 6
    assert s["soft_precision"] == round(soft_p, 4)
    assert s["soft_recall"] == round(soft_r, 4)
    assert s["soft_f1"] == round(2 * soft_p * soft_r / (soft_p + soft_r), 4)
    assert s["coverage_en"] == round(1 - 29 / sum(EN_TOKENS), 4)
    assert s["coverage_cy"] == round(1 - 40 / sum(CY_TOKENS), 4)
    assert s["system_in_gold_en"] == s["system_in_gold_cy"] == 1.0
    assert s["omission_precision"] == s["omission_recall"] == 1.0  # no one-sided unit on either side


@needs_gold
def test_lost_welsh_paragraph_counts_as_false_omission() -> None:
    gold = _read(SINGLE_VS_JOINT)
    system = gold.copy()
    system.loc[2, "cy"] = ""
    s = _scores(gold, system)
    assert s["strict_precision"] == s["strict_recall"] == round(5 / 6, 4)
    assert s["soft_precision"] == s["soft_recall"] == round(5 / 6, 4)
    assert (s["system_one_sided"], s["omission_precision"], s["omission_recall"]) == (1, 0.0, 1.0)
    assert s["coverage_en"] == 1.0 and s["coverage_cy"] == round(1 - 52 / sum(CY_TOKENS), 4)


@needs_gold
def test_untranslated_paragraph_in_gold() -> None:
    gold = _read(SINGLE_VS_JOINT)
    gold_one_sided = gold.copy()
    gold_one_sided.loc[4, "cy"] = ""
    assert set(_scores(gold_one_sided, gold_one_sided).values()) >= {1.0}
    assert _scores(gold_one_sided, gold_one_sided)["omission_recall"] == 1.0
    # a system that pairs the untranslated paragraph with extra Welsh misses the omission
    s = _scores(gold_one_sided, gold)
    assert (s["gold_one_sided"], s["omission_recall"], s["omission_precision"]) == (1, 0.0, 1.0)
    assert s["strict_precision"] == s["strict_recall"] == round(5 / 6, 4)
    assert s["coverage_cy"] == 1.0 and s["system_in_gold_cy"] == round(1 - 40 / sum(CY_TOKENS), 4)
    # a system that leaves it one-sided and splits it in two still finds it
    split = gold_one_sided.copy()
    words = split.loc[4, "en"].split()
    split.loc[4, "en"] = " ".join(words[:15])
    split = pd.concat([split.iloc[:5], pd.DataFrame([{"en": " ".join(words[15:]), "cy": ""}]), split.iloc[5:]])
    s = _scores(gold_one_sided, split)
    assert (s["omission_recall"], s["omission_precision"], s["system_one_sided"]) == (1.0, 1.0, 2)
    assert s["strict_recall"] == round(5 / 6, 4) and s["strict_precision"] == round(5 / 7, 4)


@needs_gold
def test_scores_do_not_depend_on_cell_segmentation() -> None:
    gold = _read(GOLD / "moj-fixed-recall.gold.tsv")
    system = gold.assign(en=gold["en"].str.replace(" ¶ ", " "), cy=gold["cy"].str.replace(" ¶ ", " • "))
    s = _scores(gold, system)
    assert s["strict_f1"] == s["soft_f1"] == s["coverage_en"] == s["coverage_cy"] == 1.0
    # splitting one 3-1 unit into three links loses it under strict, keeps some soft credit
    row = gold.index[gold["en"].str.count(" ¶ ") == 2][0]
    parts = gold.loc[row, "en"].split(" ¶ ")
    pieces = pd.DataFrame(
        [{"en": parts[0], "cy": gold.loc[row, "cy"]}, {"en": parts[1], "cy": ""}, {"en": parts[2], "cy": ""}]
    )
    resplit = pd.concat([gold.iloc[:row][["en", "cy"]], pieces, gold.iloc[row + 1 :][["en", "cy"]]])
    s = _scores(gold, resplit)
    assert s["strict_correct"] == len(gold) - 1 and s["system_links"] == len(gold) + 2
    assert 0 < s["soft_recall"] < 1 and s["coverage_en"] == 1.0
    assert s["omission_precision"] == 0.0 and s["system_one_sided"] == 2


@needs_gold
def test_cli_and_our_tsv_output(tmp_path: Path) -> None:
    gold = GOLD / "moj-standard-recall.gold.tsv"
    system = tmp_path / "system.tsv"
    write_alignment(read_alignment(gold), system)
    result = CliRunner().invoke(app, ["evaluate", str(gold), str(system), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["strict_f1"] == 1.0 and scores["gold_units"] == 64
    table = CliRunner().invoke(app, ["evaluate", str(gold), str(system)])
    assert "strict" in table.output and "omission" in table.output and "64 units" in table.output


def test_token_matching_is_an_alignment() -> None:
    gold = ["a", "b", "c", "d", "e", "f"]
    system = ["a", "x", "c", "d", "f", "g"]
    assert match_tokens(gold, system) == [(0, 0), (2, 2), (3, 3), (5, 4)]


@pytest.mark.skipif(not (NTREX / "newstest2019-ref.eng-GB.txt").is_file(), reason="shared ntrex128 data not found")
def test_five_thousand_rows_is_fast() -> None:
    """5,000 numbered rows of real news sentences (the 1,997 of ntrex128, repeated); the system merges
    every 50th pair and loses every 100th row."""
    en = (NTREX / "newstest2019-ref.eng-GB.txt").read_text(encoding="utf-8").splitlines()
    cy = (NTREX / "newstest2019-ref.cym.txt").read_text(encoding="utf-8").splitlines()
    rows = [{"en": f"{i}. {en[i % len(en)]}", "cy": f"{i}. {cy[i % len(cy)]}"} for i in range(5000)]
    system, i = [], 0
    merged = dropped = 0
    while i < len(rows):
        if i % 100 == 99:
            dropped += 1
            i += 1
        elif i % 50 == 10:
            system.append({k: rows[i][k] + " ¶ " + rows[i + 1][k] for k in ("en", "cy")})
            merged += 1
            i += 2
        else:
            system.append(rows[i])
            i += 1
    start = time.perf_counter()
    s = evaluate_frames(pd.DataFrame(rows), pd.DataFrame(system))
    elapsed = time.perf_counter() - start
    assert elapsed < 60, f"evaluating 5,000 rows took {elapsed:.1f} s"
    assert (merged, dropped) == (100, 50)
    assert s.gold_units == 5000 and s.system_links == 5000 - 100 - 50
    # one row next to a lost row shares its first words with it, and the LCS may give those to either
    assert 5000 - 2 * merged - dropped - 3 <= s.strict_correct <= 5000 - 2 * merged - dropped
    assert s.strict_precision == pytest.approx(s.strict_correct / s.system_links)
    assert s.strict_recall == pytest.approx(s.strict_correct / 5000)
    assert s.omission_precision == s.omission_recall == 1.0
    assert 0.98 < s.coverage_en < 0.995


@pytest.mark.skipif(not (NTREX / "newstest2019-ref.eng-GB.txt").is_file(), reason="shared ntrex128 data not found")
def test_unit_moved_ten_rows_later_still_matches() -> None:
    """A footnote-like row that the system puts 10 rows later (another reading order) is still found."""
    en = (NTREX / "newstest2019-ref.eng-GB.txt").read_text(encoding="utf-8").splitlines()[:30]
    cy = (NTREX / "newstest2019-ref.cym.txt").read_text(encoding="utf-8").splitlines()[:30]
    gold = [{"en": e, "cy": c} for e, c in zip(en, cy)]
    system = gold[:5] + gold[6:16] + [gold[5]] + gold[16:]
    s = evaluate_frames(pd.DataFrame(gold), pd.DataFrame(system))
    assert s.strict_recall == s.strict_precision == 1.0
    assert s.coverage_en == s.coverage_cy == 1.0
    # the moved unit alone: without it everything else still matches, so recall is exactly 29/30
    s = evaluate_frames(pd.DataFrame(gold), pd.DataFrame(system[:15] + system[16:]))
    assert s.strict_correct == 29 and s.strict_recall == pytest.approx(29 / 30)


@pytest.mark.skipif(not NTREX.is_dir(), reason="shared ntrex128 data not found")
def test_footnotes_at_the_foot_of_the_page_still_match(tmp_path: Path) -> None:
    """A system that puts each footnote at the end of its page instead of after its citing paragraph
    (the generated 40-page pair, 13 notes) loses no unit: nor the notes, whose first word the
    monotone match glues to the next paragraph ("Mae'n foment hanesyddol" / "Mae Gogledd Corea")."""
    pytest.importorskip("fpdf")
    from devtools.synth.generate import generate_pair

    pair = generate_pair(tmp_path, source="mixed", target_pages=40, seed=0, data_dir=SHARED_DATA)
    gold = _read(pair.gold_tsv)
    rows = gold.to_dict("records")
    page = lambda r: int(r["en_page"].split("-")[0])
    system, pending = [], [r for r in rows if r["kind"] == "footnote"]
    for r in (r for r in rows if r["kind"] != "footnote"):
        if r["en_page"]:
            system += [n for n in pending if page(n) < page(r)]
            pending = [n for n in pending if page(n) >= page(r)]
        system.append(r)
    system += pending
    assert system != rows
    s = evaluate_frames(gold, pd.DataFrame(system))
    assert s.strict_correct == s.gold_units == len(rows)
    assert s.coverage_en > 0.9995 and s.coverage_cy > 0.9995


@needs_gold
def test_segmentation_noise_keeps_only_links_over_untouched_blocks() -> None:
    """The calibration's simulated segmenter errors: with no noise the pair is unchanged; with noise,
    some blocks are merged or cut, every link kept covers untouched blocks with the same texts as
    its gold link, and none over a merged or cut block is kept."""
    from devtools.devdata import documents_from_gold, with_segmentation_noise

    gp = documents_from_gold(GOLD / "moj-standard-recall.gold.tsv")
    same = with_segmentation_noise(gp, 0.0, seed=1)
    assert [b.text for b in same.en.blocks] == [b.text for b in gp.en.blocks] and same.links == gp.links
    noisy = with_segmentation_noise(gp, 0.2, seed=1)
    assert len(noisy.en.blocks) != len(gp.en.blocks) or len(noisy.cy.blocks) != len(gp.cy.blocks)
    assert 0 < len(noisy.links) < len(gp.links)
    gold_texts = {(tuple(gp.en.blocks[i].text for i in e), tuple(gp.cy.blocks[j].text for j in c)) for e, c in gp.links}
    for e, c in noisy.links:
        assert (tuple(noisy.en.blocks[i].text for i in e), tuple(noisy.cy.blocks[j].text for j in c)) in gold_texts
