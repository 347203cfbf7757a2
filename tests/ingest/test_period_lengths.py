"""The stated length of a period ("three months ended"), read one way by the reader's column
periods, the scope (interim or annual) and the logic agent's date checks."""

from __future__ import annotations

import pytest

from server.text.dates import period_lengths


@pytest.mark.parametrize(
    ("text", "count", "unit", "interim", "label"),
    [
        ("Three Months Ended March 31, 2024", 3, "months", True, "Three months ended "),
        ("For the 13 weeks ended", 13, "weeks", True, "13 weeks ended "),
        ("the nine-month period ending September 30", 9, "months", True, "Nine months ended "),
        ("Fiscal quarter ended", 1, "quarter", True, "Quarter ended "),
        ("Twelve months ended December 31", 12, "months", False, "Twelve months ended "),
        ("52 weeks ended January 28, 2024", 52, "weeks", False, "52 weeks ended "),
    ],
)
def test_a_stated_length_is_read_with_its_count_unit_and_whether_it_is_interim(
    text: str, count: int, unit: str, interim: bool, label: str
) -> None:
    [length] = period_lengths(text)
    assert (length.count, length.unit, length.interim, length.label()) == (
        count,
        unit,
        interim,
        label,
    )
    assert text[length.start : length.end].lower().endswith(("ended", "ending"))


@pytest.mark.parametrize(
    "text",
    ["Years ended December 31", "as at 30 June 2024", "three months", "the quarter's results"],
)
def test_no_length_without_a_count_and_an_end(text: str) -> None:
    assert period_lengths(text) == []


def test_every_length_in_a_header_in_order() -> None:
    found = period_lengths("Three months ended June 30 and six months ended June 30")
    assert [(f.count, f.unit) for f in found] == [(3, "months"), (6, "months")]
