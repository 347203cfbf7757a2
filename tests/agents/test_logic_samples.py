"""The logic agent (and the disclosure agent on clean documents) on the bundled real statements.

Clean documents must give no high- or medium-severity finding. Then one error at a time is
planted in the sample's data (the way bench/quality/inject.py does), the Word document is
rebuilt and read back by the real reader, and the agent expected to notice must report it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from bench.samples.build import _table_specs, build_docx, load_set
from generated.models import LogicCheck, LogicResult
from server.agents.disclosure import agent as disclosure
from server.agents.logic import agent as logic
from server.ingest.document import Document
from server.ingest.reader import read_document

SAMPLES = Path(__file__).resolve().parents[2] / "server" / "samples"
CLEAN = ("fanmilk-2024.docx", "insig-2024.docx", "flowtraders-2024.docx")
Data = dict[str, Any]


@cache
def _committed(name: str) -> Document:
    return read_document((SAMPLES / name).read_bytes(), name)


@pytest.mark.parametrize("name", CLEAN)
def test_clean_samples_give_no_high_or_medium_finding(name: str) -> None:
    document = _committed(name)
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


def _paragraphs(data: Data) -> Iterator[Data]:
    yield from (b for b in data.get("front", []) if "p" in b)
    for stmt in data.get("statements", []):
        yield from (b for b in stmt.get("after", []) if "p" in b)
    for note in data.get("notes", []):
        yield from (b for b in note.get("blocks", []) if "p" in b)


def _edit_text(old: str, new: str) -> Callable[[Data], None]:
    def edit(data: Data) -> None:
        hits = [b for b in _paragraphs(data) if old in " ".join(b["p"].split())]
        assert len(hits) == 1, f"{old!r} found {len(hits)} times"
        hits[0]["p"] = " ".join(hits[0]["p"].split()).replace(old, new)

    return edit


def _edit_cell(table: str, label: str, column: int, value: float) -> Callable[[Data], None]:
    def edit(data: Data) -> None:
        spec = dict(_table_specs(data))[table]
        row = next(r for r in spec["rows"] if r.get("l") == label)
        row["v"][column] = value

    return edit


def _drop_tagged(tag: str) -> Callable[[Data], None]:
    def edit(data: Data) -> None:
        for block in _paragraphs(data):
            if tag in block.get("tags", []):
                block["p"] = ""
        for part in [data.get("front", []), *[n.get("blocks", []) for n in data.get("notes", [])]]:
            part[:] = [b for b in part if not ("p" in b and not b["p"])]

    return edit


def _drop_note(title: str) -> Callable[[Data], None]:
    def edit(data: Data) -> None:
        before = len(data["notes"])
        data["notes"] = [n for n in data["notes"] if n["title"] != title]
        assert len(data["notes"]) == before - 1, title

    return edit


def _planted(name: str, edit: Callable[[Data], None]) -> Document:
    data = copy.deepcopy(load_set(name))
    edit(data)
    return read_document(build_docx(data), f"{name}.docx")


LOGIC_CASES: list[tuple[str, str, Callable[[Data], None], LogicCheck]] = [
    ("narrative amount", "fanmilk-2024", _edit_text("to GH₵683.8 million", "to GH₵693.8 million"), LogicCheck.narrative),
    ("false percentage", "fanmilk-2024", _edit_text("Revenue increased by 24%", "Revenue increased by 28%"), LogicCheck.narrative),
    ("false comparative in text", "insig-2024", _edit_text("(2023: £16.6 million)", "(2023: £18.6 million)"), LogicCheck.narrative),
    ("negative revenue", "fanmilk-2024", _edit_cell("pl", "Revenue", 0, -683822), LogicCheck.sign),
    ("negative cash in a note", "insig-2024", _edit_cell("note:17", "Cash at bank and in hand", 0, -37847), LogicCheck.sign),
    ("negative total in a restatement note", "flowtraders-2024", _edit_cell("note:4", "Total assets impacted", 0, -13768262), LogicCheck.sign),
    ("authorisation date", "fanmilk-2024", _edit_text("approved by the Board on 7 April 2025", "approved by the Board on 16 November 2024"), LogicCheck.date),
    ("subsequent event date", "insig-2024", _edit_text("On 4 April 2024 the Group", "On 15 February 2024 the Group"), LogicCheck.date),
    ("effective tax rate", "fanmilk-2024", _edit_text("was 32.18%", "was 36.18%"), LogicCheck.rate),
    ("statutory rate vs reconciliation", "fanmilk-2024", _edit_text("rate of 25% on local sales", "rate of 29% on local sales"), LogicCheck.rate),
    ("statutory rate stated twice", "insig-2024", _edit_text("The applicable tax rate is 25%", "The applicable tax rate is 29%"), LogicCheck.rate),
    ("effective rate vs its table", "flowtraders-2024", _edit_text("effective tax rate of 17.9%", "effective tax rate of 21.9%"), LogicCheck.rate),
    ("going concern removed", "insig-2024", _drop_tagged("going_concern"), LogicCheck.going_concern),
    ("cash in a liquidity note", "fanmilk-2024", _edit_text("were GH₵109.11 million", "were GH₵122.20 million"), LogicCheck.narrative),
    ("column total in text", "fanmilk-2024", _edit_text("total adjustment of GH₵4.5 million", "total adjustment of GH₵5.0 million"), LogicCheck.narrative),
    ("dividend per share", "fanmilk-2024", _edit_text("(GH₵0.08 per share)", "(GH₵1.08 per share)"), LogicCheck.narrative),
    ("stated total", "flowtraders-2024", _edit_text("the total of €4.5 million", "the total of €5.0 million"), LogicCheck.narrative),
]  # fmt: skip


@cache
def _clean_logic(name: str) -> frozenset[str]:
    return frozenset(f.id for f in logic.audit(_planted(name, lambda d: None)).findings)


@pytest.mark.parametrize(
    ("case", "name", "edit", "check"), LOGIC_CASES, ids=[c[0] for c in LOGIC_CASES]
)
def test_planted_logic_error_is_caught(
    case: str, name: str, edit: Callable[[Data], None], check: LogicCheck
) -> None:
    result: LogicResult = logic.audit(_planted(name, edit))
    new = [f for f in result.findings if f.id not in _clean_logic(name)]
    assert [f.check for f in new] and all(f.check is check for f in new), [f.title for f in new]
