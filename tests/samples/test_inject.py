"""The injector changes the document exactly where its ground truth says, and nowhere else."""

from __future__ import annotations

import difflib
import functools

import pytest

from bench.quality.inject import KINDS, SETS, build_case, clean_inputs, plan, sites
from bench.samples.build import extract_text, load_set

FANMILK, INSIG, FLOW = SETS


@functools.cache
def _clean_text(sample) -> tuple[str, ...]:
    return tuple(extract_text(clean_inputs(sample).document))


def _diff(sample, kind: str, site: str) -> tuple[list[str], list[str], object]:
    before = list(_clean_text(sample))
    built = build_case(sample, kind, site)
    after = extract_text(built.document)
    removed, added = [], []
    for line in difflib.ndiff(before, after):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added, built.case


@pytest.mark.parametrize(
    "kind",
    ["broken_subtotal", "transposed_digits", "sign_flip", "scale_x1000", "changed_comparative"],
)
def test_cell_kinds_change_one_row_to_the_recorded_text(kind: str) -> None:
    site = plan(1, sets=(FANMILK,), kinds=(kind,))[0][2]
    removed, added, case = _diff(FANMILK, kind, site)
    assert len(removed) == len(added) == 1
    (cell,) = case.cells
    assert case.agent == "numeric"
    assert cell.text in added[0].split("|")
    assert cell.text not in removed[0].split("|")


def test_prior_year_mismatch_moves_an_amount_within_one_block() -> None:
    site = plan(1, sets=(FANMILK,), kinds=("prior_year_mismatch",))[0][2]
    removed, added, case = _diff(FANMILK, "prior_year_mismatch", site)
    assert len(removed) == len(added) == 2
    assert case.needs_prior and len(case.cells) == 2


def test_narrative_amount_changes_one_sentence() -> None:
    site = plan(1, sets=(INSIG,), kinds=("narrative_amount",))[0][2]
    removed, added, case = _diff(INSIG, "narrative_amount", site)
    assert len(removed) == len(added) == 1
    assert added[0].startswith("P:")
    assert case.paragraphs[0].replace(" ", "") == added[0][2:].replace("\u00a0", "").replace(
        " ", ""
    )


def test_note_removed_drops_the_note_and_nothing_else() -> None:
    removed, added, case = _diff(INSIG, "note_removed", "note:14")
    assert added == []
    assert removed[0] == "P:14. Intangible assets"
    assert case.keywords == ("IAS 36",)


def test_going_concern_only_on_the_loss_making_set() -> None:
    assert sites(load_set("fanmilk-2024"), "going_concern_removed") == []
    removed, added, _ = _diff(INSIG, "going_concern_removed", "going_concern")
    assert added == [] and len(removed) == 2
    assert all("going concern" in line for line in removed)


def test_memo_event_omission_removes_the_tagged_paragraph() -> None:
    removed, added, case = _diff(INSIG, "memo_event_omitted", "memo:luclem_fee")
    assert added == [] and len(removed) == 1 and "Luclem" in removed[0]
    assert case.needs_memos and "Luclem" in case.keywords


def test_plan_is_deterministic_and_covers_many_sites() -> None:
    first = plan(5, kinds=tuple(KINDS))
    assert first == plan(5, kinds=tuple(KINDS))
    kinds = {kind for _, kind, _ in first}
    assert len(first) > 80
    assert kinds >= set(KINDS) - {"bad_lei"}


def test_wrong_fx_rate_changes_the_stated_closing_rate() -> None:
    removed, added, case = _diff(FLOW, "wrong_fx_rate", "note:5/0")
    assert len(removed) == len(added) == 1
    assert "1.0389" in removed[0] and "1.0389" not in added[0]
    assert case.agent == "external" and case.keywords[0] in added[0]


def test_bad_isin_breaks_the_check_digit() -> None:
    from stdnum import isin

    removed, added, case = _diff(FLOW, "bad_isin", "note:32/1")
    assert "BMG3602E1084" in removed[0]
    assert not isin.is_valid(case.keywords[0]) and case.keywords[0] in added[0]
