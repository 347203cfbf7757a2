"""Finding identity across drafts (server.review.matching).

Unit tests build two small drafts by hand, one per edit a real next draft brings (rows
inserted, tables renumbered, notes renumbered, a figure corrected or changed, a sentence
reworded), and check each finding's class. The end-to-end tests audit pairs built from the
bundled Insig sample (bench/drafts) once per module.
"""

from __future__ import annotations

import contextlib
import io
import json
from typing import Any

import pytest

from generated.models import NumericFinding
from server.ingest.document import (
    Cell,
    Column,
    ColumnRole,
    Document,
    DocumentKind,
    Paragraph,
    Row,
    RowKind,
    Section,
    StatementKind,
    Table,
)
from server.review.matching import DraftStatus, MatchBasis, match

PERIODS = ("2024", "2023")


# ---------------------------------------------------------------------------------------------
# Building drafts by hand


def table(
    labels: list[str],
    *,
    statement: StatementKind | None = None,
    section: str | None = None,
    title: str | None = None,
) -> Table:
    columns = [Column(0, "", ColumnRole.LABEL)] + [
        Column(i + 1, p, ColumnRole.AMOUNT, period=p) for i, p in enumerate(PERIODS)
    ]
    rows = [
        Row(i, label, [Cell(label), Cell("1", 1.0), Cell("1", 1.0)], kind=RowKind.ITEM)
        for i, label in enumerate(labels)
    ]
    return Table(
        id="", index=0, columns=columns, rows=rows, title=title, statement=statement,
        section_id=section,
    )  # fmt: skip


def paragraph(text: str, section: str | None = None) -> Paragraph:
    return Paragraph(id="", index=0, text=text, section_id=section)


def document(name: str, blocks: list[Table | Paragraph], sections: list[Section]) -> Document:
    """Ids t1, t2, ... and p1, p2, ... in body order, as the readers give them."""
    tables = paragraphs = 0
    for i, block in enumerate(blocks):
        if isinstance(block, Table):
            tables += 1
            block.id, block.index = f"t{tables}", i
        else:
            paragraphs += 1
            block.id, block.index = f"p{paragraphs}", i
    return Document(name=name, kind=DocumentKind.DOCX, sections=sections, blocks=blocks)


def note(section_id: str, number: str, title: str) -> Section:
    return Section(section_id, f"{number}. {title}", 2, note_number=number)


def numeric(fid: str, check: str, cells: list[tuple[str, int, int]], period: str = "2024") -> dict:
    """A numeric finding's JSON form; `cells` are (table id, row, column), the first reported."""
    by_table: dict[str, list[dict[str, int]]] = {}
    for t, row, column in cells:
        by_table.setdefault(t, []).append({"row": row, "column": column})
    return {
        "id": fid,
        "agent": "numeric",
        "severity": "high",
        "title": f"{fid} does not add up",
        "description": "",
        "reference": "DQC 0118",
        "locations": [{"table": t, "cells": c} for t, c in by_table.items()],
        "check": check,
        "expected": 100.0,
        "actual": 110.0,
        "difference": 10.0,
        "period": period,
        "scale": "thousands",
    }


def logic(fid: str, check: str, paragraph_id: str, quote: str, section: str | None = None) -> dict:
    location: dict[str, Any] = {"paragraph": paragraph_id, "quote": quote}
    if section:
        location["section"] = section
    return {
        "id": fid,
        "agent": "logic",
        "severity": "medium",
        "title": f"{fid}: claim disagrees",
        "description": "",
        "reference": "",
        "locations": [location],
        "check": check,
        "claim": quote,
        "contradiction": "",
    }


def disclosure(fid: str, requirement_id: str, status: str, location: dict | None = None) -> dict:
    return {
        "id": fid,
        "agent": "disclosure",
        "severity": "low",
        "title": f"{requirement_id}: disclosure {status}",
        "description": "",
        "reference": "IAS 1",
        "locations": [location] if location else [],
        "standard": "IAS 1",
        "requirement": "A requirement.",
        "requirement_id": requirement_id,
        "status": status,
    }


FP = [
    "Non-current assets",
    "Property",
    "Intangibles",
    "",
    "Cash",
    "Receivables",
    "",
    "Total assets",
]
INVENTORIES = ["Raw materials", "Finished goods", "Total inventories"]


def draft1() -> Document:
    return document(
        "draft1.docx",
        [
            paragraph("Revenue increased by 15% to EUR 1,200 thousand on 31 December 2024.", "s1"),
            table(FP, statement=StatementKind.FINANCIAL_POSITION),
            table(INVENTORIES, section="s3", title="12. Inventories"),
        ],
        [Section("s1", "Financial review", 1), Section("s2", "Notes", 1), note("s3", "12", "Inventories")],
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Unit tests: one edit each


def test_nothing_moved_is_an_exact_match() -> None:
    f = numeric("numeric-000000000001", "footing", [("t1", 7, 1), ("t1", 3, 1), ("t1", 6, 1)])
    result = match([f], draft1(), [dict(f)], draft1())
    [c] = result.current
    assert (c.status, c.previous_id, c.basis) == (
        DraftStatus.PERSISTING,
        "numeric-000000000001",
        MatchBasis.EXACT,
    )
    assert result.resolved == ()


def test_rows_inserted_keep_identity_under_a_new_id() -> None:
    before = numeric("numeric-000000000001", "footing", [("t1", 7, 1), ("t1", 3, 1), ("t1", 6, 1)])
    after_doc = document(
        "draft2.docx",
        [
            paragraph("Revenue increased by 15% to EUR 1,200 thousand on 31 December 2024.", "s1"),
            table(["Sundry", *FP[:5], "Other", *FP[5:]], statement=StatementKind.FINANCIAL_POSITION),
        ],
        [Section("s1", "Financial review", 1)],
    )  # fmt: skip
    after = numeric("numeric-000000000002", "footing", [("t1", 9, 1), ("t1", 4, 1), ("t1", 8, 1)])
    [c] = match([before], draft1(), [after], after_doc).current
    assert (c.status, c.previous_id, c.basis) == (
        DraftStatus.PERSISTING,
        "numeric-000000000001",
        MatchBasis.SUBJECT,
    )


def test_tables_and_notes_renumbered_keep_identity_and_a_reused_id_is_not_trusted() -> None:
    """A table inserted first: the inventories note moves from t2 to t3 and from note 12 to 13,
    and the balance sheet takes t2. The finding now on t2 row 1 reuses the old id by chance."""
    before = numeric("numeric-00000000000a", "footing", [("t2", 2, 1), ("t2", 0, 1), ("t2", 1, 1)])
    after_doc = document(
        "draft2.docx",
        [
            table(["Number of offices"], title="Key figures"),
            table(FP, statement=StatementKind.FINANCIAL_POSITION),
            table(INVENTORIES, section="s3", title="13. Inventories"),
        ],
        [Section("s2", "Notes", 1), note("s3", "13", "Inventories")],
    )  # fmt: skip
    moved = numeric("numeric-00000000000b", "footing", [("t3", 2, 1), ("t3", 0, 1), ("t3", 1, 1)])
    reused = numeric("numeric-00000000000a", "footing", [("t2", 7, 1), ("t2", 3, 1), ("t2", 6, 1)])
    result = match([before], draft1(), [reused, moved], after_doc)
    assert result.status("numeric-00000000000b") is DraftStatus.PERSISTING
    assert result.persisting == {"numeric-00000000000b": "numeric-00000000000a"}
    assert result.current[0].status is DraftStatus.NEW  # same id, another subject
    assert result.resolved == ()


def test_a_corrected_figure_resolves_its_finding() -> None:
    before = numeric("numeric-000000000001", "footing", [("t1", 7, 1), ("t1", 3, 1), ("t1", 6, 1)])
    kept = disclosure("disclosure-000000000001", "ias1-going-concern", "missing")
    result = match([before, kept], draft1(), [dict(kept)], draft1())
    assert result.resolved == ("numeric-000000000001",)
    assert result.current[0].status is DraftStatus.PERSISTING


def test_a_changed_figure_of_the_same_subject_persists() -> None:
    before = numeric("numeric-000000000001", "footing", [("t1", 7, 1), ("t1", 3, 1), ("t1", 6, 1)])
    after = {**before, "id": "numeric-000000000009", "expected": 90.0, "difference": 20.0}
    after["severity"] = "medium"
    [c] = match([before], draft1(), [after], draft1()).current
    assert (c.status, c.previous_id) == (DraftStatus.PERSISTING, "numeric-000000000001")


def test_another_period_of_the_same_line_is_a_new_finding() -> None:
    before = numeric("numeric-000000000001", "footing", [("t1", 7, 1), ("t1", 3, 1), ("t1", 6, 1)])
    after = numeric(
        "numeric-000000000002", "footing", [("t1", 7, 2), ("t1", 3, 2), ("t1", 6, 2)], "2023"
    )
    result = match([before], draft1(), [after], draft1())
    assert result.current[0].status is DraftStatus.NEW
    assert result.resolved == ("numeric-000000000001",)


def test_two_unlabelled_subtotals_are_never_taken_for_one_another() -> None:
    """The first unlabelled subtotal was corrected; the second one broke."""
    first = numeric("numeric-000000000001", "footing", [("t1", 3, 1), ("t1", 1, 1), ("t1", 2, 1)])
    second = numeric("numeric-000000000002", "footing", [("t1", 6, 1), ("t1", 4, 1), ("t1", 5, 1)])
    result = match([first], draft1(), [second], draft1())
    assert result.current[0].status is DraftStatus.NEW
    assert result.resolved == ("numeric-000000000001",)


def test_same_labels_are_paired_one_to_one_by_nearest_position() -> None:
    """Two 'Lease liabilities' lines (non-current, current): only the current one still fails,
    after a line was inserted above both."""
    labels = ["Lease liabilities", "Deferred tax", "Payables", "Lease liabilities", "Loans"]
    before_doc = document(
        "d1.docx", [table(labels, statement=StatementKind.FINANCIAL_POSITION)], []
    )
    after_doc = document(
        "d2.docx", [table(["Sundry", *labels], statement=StatementKind.FINANCIAL_POSITION)], []
    )
    upper = numeric("numeric-000000000001", "sign", [("t1", 0, 1)])
    lower = numeric("numeric-000000000002", "sign", [("t1", 3, 1)])
    still = numeric("numeric-000000000003", "sign", [("t1", 4, 1)])
    result = match([upper, lower], before_doc, [still], after_doc)
    assert result.persisting == {"numeric-000000000003": "numeric-000000000002"}
    assert result.resolved == ("numeric-000000000001",)


def test_a_figure_changed_in_a_sentence_that_moved_persists() -> None:
    before = logic(
        "logic-000000000001", "narrative", "p1",
        "Revenue increased by 15% to EUR 1,200 thousand on 31 December 2024.", "s1",
    )  # fmt: skip
    after_doc = document(
        "draft2.docx",
        [
            paragraph("This draft supersedes the earlier one."),
            paragraph("Revenue increased by 17% to EUR 1,250 thousand on 30 June 2024.", "s1"),
        ],
        [Section("s1", "Financial review", 1)],
    )
    after = logic(
        "logic-000000000002", "narrative", "p2",
        "Revenue increased by 17% to EUR 1,250 thousand on 30 June 2024.", "s1",
    )  # fmt: skip
    [c] = match([before], draft1(), [after], after_doc).current
    assert (c.status, c.previous_id) == (DraftStatus.PERSISTING, "logic-000000000001")


def test_a_reworded_claim_persists_and_another_claim_is_new() -> None:
    old = "Revenue increased by 15% to EUR 1,200 thousand on 31 December 2024."
    before = logic("logic-000000000001", "narrative", "p1", old, "s1")
    reworded = "Revenue has increased by 15% to EUR 1,200 thousand on 31 December 2024."
    other = "Administrative expenses fell by 3% in the year."
    after_doc = document(
        "draft2.docx",
        [paragraph(reworded, "s1"), paragraph(other, "s1")],
        [Section("s1", "Financial review", 1)],
    )
    result = match(
        [before],
        draft1(),
        [
            logic("logic-000000000003", "narrative", "p2", other, "s1"),
            logic("logic-000000000002", "narrative", "p1", reworded, "s1"),
        ],
        after_doc,
    )
    assert result.persisting == {"logic-000000000002": "logic-000000000001"}
    assert result.status("logic-000000000003") is DraftStatus.NEW


def test_a_disclosure_gap_persists_when_its_status_changes() -> None:
    before = disclosure("disclosure-000000000001", "ias12-components", "missing", {"section": "s3"})
    after = disclosure("disclosure-000000000002", "ias12-components", "incomplete")
    [c] = match([before], draft1(), [after], draft1()).current
    assert (c.status, c.previous_id) == (DraftStatus.PERSISTING, "disclosure-000000000001")


def test_an_external_finding_located_in_the_renamed_draft_persists() -> None:
    quote = "Revenue increased by 15% to EUR 1,200 thousand on 31 December 2024."

    def external(fid: str, name: str) -> dict:
        return {
            "id": fid,
            "agent": "external",
            "severity": "medium",
            "title": "EUR/USD closing rate differs from the ECB reference rate",
            "description": "",
            "reference": "ECB",
            "locations": [{"document": name, "paragraph": "p1", "quote": quote}],
            "source": "ecb_rates",
            "source_date": "2024-12-31",
            "status": "contradicted",
            "evidence": "",
        }

    after_doc = draft1()
    after_doc.name = "draft2.docx"
    result = match(
        [external("external-000000000001", "draft1.docx")],
        draft1(),
        [external("external-000000000002", "draft2.docx")],
        after_doc,
    )
    assert result.persisting == {"external-000000000002": "external-000000000001"}


def test_models_and_json_forms_give_the_same_answer() -> None:
    before = numeric("numeric-000000000001", "footing", [("t1", 7, 1), ("t1", 3, 1), ("t1", 6, 1)])
    after = {**before, "id": "numeric-000000000002"}
    from_json = match([before], draft1().to_json(), [after], draft1().to_json())
    from_models = match(
        [NumericFinding.model_validate(before)],
        draft1(),
        [NumericFinding.model_validate(after)],
        draft1(),
    )
    assert from_models == from_json
    assert from_json.persisting == {"numeric-000000000002": "numeric-000000000001"}


def test_an_unknown_location_matches_only_the_same_reference() -> None:
    lost = numeric("numeric-000000000001", "footing", [("t9", 4, 1)])
    elsewhere = numeric("numeric-000000000002", "footing", [("t8", 4, 1)])
    again = numeric("numeric-000000000003", "footing", [("t9", 4, 1)])
    result = match([lost], draft1(), [elsewhere, again], draft1())
    assert result.persisting == {"numeric-000000000003": "numeric-000000000001"}
    assert result.status("numeric-000000000002") is DraftStatus.NEW


# ---------------------------------------------------------------------------------------------
# End to end: pairs from the bundled Insig sample, audited by the four agents


@pytest.fixture(scope="module")
def insig() -> dict[str, Any]:
    """`python -m bench.drafts` on two Insig pairs: its final JSON line, by pair."""
    from bench.drafts.__main__ import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["--sets", "insig-2024", "--pairs", "corrected,renumbered"])
    report = json.loads(out.getvalue().strip().splitlines()[-1])
    assert code == (0 if report["incorrect"] == 0 else 1)
    return {p["kind"]: p for p in report["by_pair"]}


def test_corrected_draft_resolves_every_planted_error_and_keeps_the_rest(
    insig: dict[str, Any],
) -> None:
    pair = insig["corrected"]
    assert pair["planted_detected"] >= 8, "the agents should catch most planted errors"
    assert pair["planted_classed"] == pair["planted_detected"]
    assert pair["incorrect"] == 0 and pair["unchanged_new"] == 0, pair["mistakes"]
    assert pair["got"]["persisting"] == pair["after"]  # the clean draft's findings all persist


def test_renumbered_draft_changes_ids_but_not_identity(insig: dict[str, Any]) -> None:
    pair = insig["renumbered"]
    assert pair["incorrect"] == 0, pair["mistakes"]
    assert pair["got"] == {"new": 0, "persisting": pair["after"], "resolved": 0}
    classes = pair["correct"] + pair["incorrect"]
    assert pair["by_id_correct"] < classes, "renumbering should move location-hashed ids"
