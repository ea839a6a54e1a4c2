"""Number comparison inside aligned pairs: real changes are caught, translation conventions are not."""

from __future__ import annotations

import pytest

from aligner.report.numbers import compare_numbers, extract_numbers


@pytest.mark.parametrize(
    "en, cy, en_only, cy_only",
    [
        ("The report for 2024 is late.", "Mae adroddiad 2025 yn hwyr.", ("2024",), ("2025",)),
        ("Costs rose by 15% this year.", "Cododd costau 51% eleni.", ("15%",), ("51%",)),
        ("See paragraph 3.2 below.", "Gweler paragraff 3.3 isod.", ("3.2",), ("3.3",)),
        ("A grant of £5m was paid.", "Talwyd grant o £6m.", ("£5m",), ("£6m",)),
        ("Within 28 calendar days.", "O fewn 28 diwrnod a 14 awr.", (), ("14",)),
        ("At about 10:15 BST.", "Tua 10:51 BST.", ("10:15",), ("10:51",)),
        ("Tariffs on $60 billion of goods.", "Tariffau ar $600 biliwn o nwyddau.", ("$60 billion",), ("$600 biliwn",)),
    ],
)
def test_changed_numbers_are_reported(en, cy, en_only, cy_only):
    mismatch = compare_numbers(en, cy)
    assert mismatch is not None
    assert mismatch.en_only == en_only
    assert mismatch.cy_only == cy_only


@pytest.mark.parametrize(
    "en, cy",
    [
        ("We received 1,000 responses.", "Cawsom 1000 o ymatebion."),
        ("A grant of £5m was paid.", "Talwyd grant o £5 miliwn."),
        ("A budget of £1.5 million.", "Cyllideb o £1.5m."),
        ("Rates were 5.5% in 2023.", "Roedd y cyfraddau yn 5.5% yn 2023."),
        ("You have 5 days to reply.", "Mae gennych bum diwrnod i ymateb."),
        ("There were five options.", "Roedd 5 opsiwn."),
        ("It is the 2nd review.", "Dyma'r ail adolygiad."),
        ("Call 0300 123 4567 between 9am and 5pm.", "Ffoniwch 0300 123 4567 rhwng 9yb a 5yh."),
        ("Use form A4 and C1A.", "Defnyddiwch ffurflen A4 a C1A."),
        ("On Radio 4 at 11:15 BST.", "Ar Radio 4 am 11.15 BST."),
        ("No figures here.", "Dim ffigurau yma."),
    ],
)
def test_equivalent_numbers_are_not_reported(en, cy):
    assert compare_numbers(en, cy) is None


def test_thousands_separator_and_magnitude_give_the_same_value():
    assert [v for v, _ in extract_numbers("£2,500,000 and £2.5m and 2.5 million")] == [2.5e6, 2.5e6, 2.5e6]
    assert [v for v, _ in extract_numbers("Pages 12-14, item 3.")] == [12, 14, 3]
