"""The Excel working paper of a real audit of a sample with planted errors, opened with openpyxl."""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from server.exports import Original, Paper
from server.exports.xlsx import write_xlsx
from server.samples import sample_path
from tests.support.exports import Site, findings_of
from tests.support.review_data import with_review

INTERNAL_ID = re.compile(r"\bt\d+\b|\bR\d+C\d+\b|\bp\d+\b|\bs\d+\b")


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _table(ws: Worksheet) -> list[dict[str, Any]]:
    """The sheet's rows as dicts keyed by the header row."""
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _overview(ws: Worksheet) -> dict[str, Any]:
    return {
        row[0]: row[1] for row in ws.iter_rows(min_row=2, max_col=2, values_only=True) if row[0]
    }


def _row_of(ws: Worksheet, finding_id: str) -> int:
    ids = [c.value for c in ws[1]].index("Finding id") + 1
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, ids).value == finding_id)


def _column(ws: Worksheet, header: str) -> int:
    return [c.value for c in ws[1]].index(header) + 1


def test_the_workbook_has_an_overview_a_sheet_per_agent_and_coverage(site: Site) -> None:
    audited = site.audit("fanmilk-2024-planted")
    book = _book(site.export(audited.audit_id, "xlsx").content)
    assert book.sheetnames == ["Overview", "Numeric", "Logic", "Disclosure", "External", "Coverage"]
    overview = _overview(book["Overview"])
    assert overview["Entity"] == "Fan Milk PLC"
    assert overview["Document"] == "fanmilk-2024-planted.docx"
    assert overview["Reporting date"] == datetime(2024, 12, 31)
    assert overview["Audit id"] == audited.audit_id
    assert overview["Status"] == "completed"
    assert isinstance(overview["Started (UTC)"], datetime)
    assert isinstance(overview["Finished (UTC)"], datetime)
    findings = findings_of(audited.snapshot)
    for severity in ("high", "medium", "low"):
        count = sum(1 for f in findings if f["severity"] == severity)
        assert overview[f"Findings, {severity}"] == count
    assert overview["Findings, total"] == len(findings) > 0
    assert overview["Decided"] == f"0 of {len(findings)}"
    assert overview["Signed off by"] == "not signed off"
    assert overview["Prior-year statements"] == "fanmilk-2023.docx"

    for agent in audited.snapshot["agents"]:
        ws = book[agent["agent"].capitalize()]
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        rows = _table(ws)
        assert [r["Finding id"] for r in rows] == [f["id"] for f in agent["result"]["findings"]]
        for row in rows:
            assert row["Location"] and not INTERNAL_ID.search(row["Location"]), row["Location"]
            assert row["Decision"] == "open"


def test_a_planted_error_is_located_in_words_with_its_figures_as_numbers(site: Site) -> None:
    # Planted: the statement of profit or loss, row 'Revenue', 2023: 549,416 -> 565,898.
    audited = site.audit("fanmilk-2024-planted")
    planted = next(
        f
        for f in findings_of(audited.snapshot)
        if f["agent"] == "numeric" and f["actual"] == 565898
    )
    ws = _book(site.export(audited.audit_id, "xlsx").content)["Numeric"]
    row = _row_of(ws, planted["id"])
    location = ws.cell(row, _column(ws, "Location")).value
    assert location.startswith("Statement of profit or loss, row 'Revenue', 2023"), location
    for header, value in (
        ("Expected", 549416),
        ("Actual (printed)", 565898),
        ("Difference", 16482),
    ):
        cell = ws.cell(row, _column(ws, header))
        assert cell.data_type == "n" and cell.value == value, (header, cell.value)
        assert cell.number_format.startswith("#,##0")
    assert ws.cell(row, _column(ws, "Title")).value == planted["title"]
    assert ws.cell(row, _column(ws, "Severity")).value == planted["severity"]
    assert ws.cell(row, _column(ws, "Check")).value == planted["check"]
    materiality = ws.cell(row, _column(ws, "Materiality"))
    assert materiality.data_type == "n" and materiality.number_format == "0.00%"


def test_coverage_lists_the_checks_and_every_external_fact(site: Site) -> None:
    audited = site.audit("fanmilk-2024-planted")
    ws = _book(site.export(audited.audit_id, "xlsx").content)["Coverage"]
    rows = [row for row in ws.iter_rows(values_only=True)]
    numeric = next(a for a in audited.snapshot["agents"] if a["agent"] == "numeric")
    for tally in numeric["result"]["summary"]["by_check"]:
        row = next(r for r in rows if r[0] == "Numeric" and r[1] == tally["check"])
        assert row[2:5] == (tally["run"], tally["failed"], tally["skipped"])
        assert (row[5] is not None) == (tally["skipped"] > 0), "a skip comes with its reason"
    standards = [r for r in rows if r[0] == "IAS 1" and r[1] == "yes"]
    assert standards and standards[0][2]  # the reason it applies

    external = next(a for a in audited.snapshot["agents"] if a["agent"] == "external")
    summary = external["result"]["summary"]
    first = next(i for i, r in enumerate(rows) if r[0] == "Status" and r[1] == "Fact")
    facts = rows[first + 1 :]
    statuses = [r[0] for r in facts]
    assert statuses.count("verified") == len(summary["verified_facts"]) > 0
    assert statuses.count("contradicted") == sum(
        1 for f in external["result"]["findings"] if f["status"] == "contradicted"
    )
    assert ws.auto_filter.ref == f"A{first + 1}:F{ws.max_row}"
    sources = {r[0] for r in rows if r[1] in ("yes", "no") and r[0] in ("prior_year", "memos")}
    assert sources == {"prior_year", "memos"}  # each source listed, available or not


def test_decisions_reviewers_and_the_sign_off_are_in_the_workbook(site: Site) -> None:
    audited = site.audit("fanmilk-2024-planted")
    findings = findings_of(audited.snapshot)
    confirmed, dismissed = findings[0], findings[1]
    snapshot = with_review(
        audited.snapshot,
        {
            confirmed["id"]: [
                {"decision": "confirmed", "reviewer": "Ana Lee", "ts": "2026-11-27T10:00:00.000Z"}
            ],
            dismissed["id"]: [
                {"decision": "confirmed", "reviewer": "Ana Lee", "ts": "2026-11-27T10:01:00.000Z"},
                {
                    "decision": "dismissed",
                    "reason": "explained_elsewhere",
                    "note": "=see note 5",
                    "reviewer": "Bo Chen",
                    "ts": "2026-11-27T10:05:00.000Z",
                },
            ],
        },
        {"reviewer": "Cy Dee", "ts": "2026-11-27T11:00:00.000Z", "note": "Preparer to fix."},
    )
    paper = Paper(snapshot, audited.document, Original("x.docx", b""), "2026-11-27T12:00:00.000Z")
    book = _book(write_xlsx(paper))
    overview = _overview(book["Overview"])
    assert overview["Signed off by"] == "Cy Dee"
    assert overview["Signed off at (UTC)"] == datetime(2026, 11, 27, 11, 0)
    assert overview["Sign-off note"] == "Preparer to fix."
    assert overview["Decided"] == f"2 of {len(findings)}"
    assert overview["Confirmed"] == 1 and overview["Dismissed"] == 1

    ws = book[confirmed["agent"].capitalize()]
    row = _row_of(ws, confirmed["id"])
    assert ws.cell(row, _column(ws, "Decision")).value == "confirmed"
    assert ws.cell(row, _column(ws, "Reviewer")).value == "Ana Lee"
    ws = book[dismissed["agent"].capitalize()]
    row = _row_of(ws, dismissed["id"])
    assert ws.cell(row, _column(ws, "Decision")).value == "dismissed"
    assert ws.cell(row, _column(ws, "Reason")).value == "explained elsewhere"
    assert ws.cell(row, _column(ws, "Reviewer")).value == "Bo Chen"
    note = ws.cell(row, _column(ws, "Note"))
    assert note.value == "=see note 5" and note.data_type == "s", "a note is never a formula"
    assert ws.cell(row, _column(ws, "Decided at (UTC)")).value == datetime(2026, 11, 27, 10, 5)


def test_decisions_and_sign_off_recorded_through_rest_reach_the_export(site: Site) -> None:
    """The whole path: the review layer records decisions and a sign-off, the endpoint's
    workbook shows them (no review dict built by the test)."""
    # A fresh audit of its own: the module's shared audits stay unreviewed for the other tests.
    audited = site.upload(
        "flowtraders.docx", sample_path("flowtraders-2024-planted.docx").read_bytes()
    )
    findings = findings_of(audited.snapshot)
    must = [f for f in findings if f["severity"] in ("high", "medium")]
    assert must, "the planted sample has high or medium findings"
    decisions = f"/api/v1/audits/{audited.audit_id}/decisions"
    for finding in must:
        body = {"finding_id": finding["id"], "decision": "confirmed", "reviewer": "Ana Lee"}
        assert site.client.post(decisions, json=body).status_code == 201
    dismissed = {
        "finding_id": must[0]["id"],
        "decision": "dismissed",
        "reason": "immaterial",
        "note": "Below the clearly trivial threshold.",
        "reviewer": "Bo Chen",
    }
    assert site.client.post(decisions, json=dismissed).status_code == 201
    sign_off = {"reviewer": "Cy Dee", "note": "Preparer to fix the confirmed ones."}
    signed = site.client.post(f"/api/v1/audits/{audited.audit_id}/sign-off", json=sign_off)
    assert signed.status_code == 201, signed.text

    book = _book(site.export(audited.audit_id, "xlsx").content)
    overview = _overview(book["Overview"])
    assert overview["Signed off by"] == "Cy Dee"
    assert overview["Sign-off note"] == "Preparer to fix the confirmed ones."
    assert overview["Decided"] == f"{len(must)} of {len(findings)}"
    assert overview["Dismissed"] == 1 and overview["Confirmed"] == len(must) - 1
    ws = book[must[0]["agent"].capitalize()]
    row = _row_of(ws, must[0]["id"])
    assert ws.cell(row, _column(ws, "Decision")).value == "dismissed"
    assert ws.cell(row, _column(ws, "Reason")).value == "immaterial"
    assert ws.cell(row, _column(ws, "Reviewer")).value == "Bo Chen"
    csv_text = site.export(audited.audit_id, "csv").content.decode("utf-8-sig")
    assert "Below the clearly trivial threshold." in csv_text
