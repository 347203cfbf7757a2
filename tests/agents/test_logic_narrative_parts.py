"""Narrative figures about a movement, a part or a variant of a line are counted, never reported:
each sentence below names a statement line but states a figure the line does not carry."""

from __future__ import annotations

import pytest

from tests.support.logic_set import AUTHORISED, GOING_CONCERN, audit_set


@pytest.mark.parametrize(
    "text",
    [
        # the item joined to another by "and": the figure may be their sum
        "Trade receivables and trade payables totalled EUR 4.3 million.",
        # a change named before the item: a movement, not the balance
        "During the year the increase in the trade payables was EUR 0.4 million.",
        # "by" with no direction word: "exceeded", "offset by"
        "Expected claims exceeded our borrowings by EUR 0.3 million.",
        # a bare bracketed figure after an item in a list
        "The main movements were: Trade payables (EUR 0.4 million), Inventories (EUR 0.1 million).",
        # what follows the figure narrows it
        "Administrative expenses of EUR 3.6 million (EUR 2.7 million after tax) were recognised.",
        "Administrative expenses of EUR 0.3 million related to the relocation were recognised.",
        # the figure belongs to a narrower subject ("for all")
        "The carrying amount for all borrowings was EUR 5.0 million.",
    ],
)
def test_figure_for_a_part_or_movement_is_counted_not_reported(text: str) -> None:
    result = audit_set(paragraphs=(text, GOING_CONCERN, AUTHORISED))
    assert result.findings == []
    assert result.summary.claims_found >= 1


@pytest.mark.parametrize(
    "text",
    [
        # the year after "compared with" is the comparative, not the figure's own
        "In 2024 revenue decreased by EUR 0.8 million compared with 2023.",
        # an expense printed in brackets both years: "decreased" speaks of its size
        "Finance costs decreased by EUR 10 thousand.",
    ],
)
def test_change_is_checked_and_agrees(text: str) -> None:
    result = audit_set(paragraphs=(text, GOING_CONCERN, AUTHORISED))
    assert result.findings == []
    assert result.summary.claims_checked >= 1


def test_table_without_a_read_unit_is_not_compared_with_millions() -> None:
    # "EUR 12.4 million" against 12,400 in a table whose "in thousands" was not read
    result = audit_set(
        header=["", "Note", "2024", "2023"],
        paragraphs=("Revenue was EUR 12.4 million.", GOING_CONCERN, AUTHORISED),
    )
    assert result.findings == []
    assert result.summary.claims_found >= 1


def test_table_read_in_a_wrong_unit_is_not_compared() -> None:
    # "in millions" read where the figures are in thousands: 12,400 agrees with 12.4 million
    result = audit_set(
        header=["In millions of euros", "Note", "2024", "2023"],
        paragraphs=("Revenue was EUR 12.4 million.", GOING_CONCERN, AUTHORISED),
    )
    assert result.findings == []
    assert result.summary.claims_found >= 1
