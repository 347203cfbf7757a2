"""The logic agent (and the disclosure agent on clean documents) on the bundled real statements.

Clean documents must give no high- or medium-severity finding. Then one error at a time is
planted in the sample's data (the way bench/quality/inject.py does), the Word document is
rebuilt and read back by the real reader, and the agent expected to notice must report it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pytest

from generated.models import LogicCheck, LogicResult
from server.agents.disclosure import agent as disclosure
from server.agents.logic import agent as logic
from tests.support.planted import (
    NO_EDIT,
    Data,
    committed,
    drop_tagged,
    edit_cell,
    edit_text,
    planted,
)

CLEAN = ("fanmilk-2024.docx", "insig-2024.docx", "flowtraders-2024.docx")


@pytest.mark.parametrize("name", CLEAN)
def test_clean_samples_give_no_high_or_medium_finding(name: str) -> None:
    document = committed(name)
    found = logic.audit(document)
    serious = [f.title for f in found.findings if f.severity.value in ("high", "medium")]
    assert serious == []
    assert found.summary.claims_checked >= 5
    assert found.summary.checks_run > 100
    disclosed = disclosure.audit(document)
    serious = [f.title for f in disclosed.findings if f.severity.value in ("high", "medium")]
    assert serious == []
    assert disclosed.summary.requirements_checked >= 70
    assert len(disclosed.findings) <= 12  # low-severity observations stay few


LOGIC_CASES: list[tuple[str, str, Callable[[Data], None], LogicCheck]] = [
    ("narrative amount", "fanmilk-2024", edit_text("to GH₵683.8 million", "to GH₵693.8 million"), LogicCheck.narrative),
    ("false percentage", "fanmilk-2024", edit_text("Revenue increased by 24%", "Revenue increased by 28%"), LogicCheck.narrative),
    ("false comparative in text", "insig-2024", edit_text("(2023: £16.6 million)", "(2023: £18.6 million)"), LogicCheck.narrative),
    ("negative revenue", "fanmilk-2024", edit_cell("pl", "Revenue", 0, -683822), LogicCheck.sign),
    ("negative cash in a note", "insig-2024", edit_cell("note:17", "Cash at bank and in hand", 0, -37847), LogicCheck.sign),
    ("negative total in a restatement note", "flowtraders-2024", edit_cell("note:4", "Total assets impacted", 0, -13768262), LogicCheck.sign),
    ("authorisation date", "fanmilk-2024", edit_text("approved by the Board on 7 April 2025", "approved by the Board on 16 November 2024"), LogicCheck.date),
    ("subsequent event date", "insig-2024", edit_text("On 4 April 2024 the Group", "On 15 February 2024 the Group"), LogicCheck.date),
    ("effective tax rate", "fanmilk-2024", edit_text("was 32.18%", "was 36.18%"), LogicCheck.rate),
    ("statutory rate vs reconciliation", "fanmilk-2024", edit_text("rate of 25% on local sales", "rate of 29% on local sales"), LogicCheck.rate),
    ("statutory rate stated twice", "insig-2024", edit_text("The applicable tax rate is 25%", "The applicable tax rate is 29%"), LogicCheck.rate),
    ("effective rate vs its table", "flowtraders-2024", edit_text("effective tax rate of 17.9%", "effective tax rate of 21.9%"), LogicCheck.rate),
    ("going concern removed", "insig-2024", drop_tagged("going_concern"), LogicCheck.going_concern),
    ("cash in a liquidity note", "fanmilk-2024", edit_text("were GH₵109.11 million", "were GH₵122.20 million"), LogicCheck.narrative),
    ("column total in text", "fanmilk-2024", edit_text("total adjustment of GH₵4.5 million", "total adjustment of GH₵5.0 million"), LogicCheck.narrative),
    ("dividend per share", "fanmilk-2024", edit_text("(GH₵0.08 per share)", "(GH₵1.08 per share)"), LogicCheck.narrative),
    ("stated total", "flowtraders-2024", edit_text("the total of €4.5 million", "the total of €5.0 million"), LogicCheck.narrative),
]  # fmt: skip


@cache
def _clean_logic(name: str) -> frozenset[str]:
    return frozenset(f.id for f in logic.audit(planted(name, NO_EDIT)).findings)


@pytest.mark.parametrize(
    ("case", "name", "edit", "check"), LOGIC_CASES, ids=[c[0] for c in LOGIC_CASES]
)
def test_planted_logic_error_is_caught(
    case: str, name: str, edit: Callable[[Data], None], check: LogicCheck
) -> None:
    result: LogicResult = logic.audit(planted(name, edit))
    new = [f for f in result.findings if f.id not in _clean_logic(name)]
    assert [f.check for f in new] and all(f.check is check for f in new), [f.title for f in new]
