"""The Excel working paper (openpyxl): Overview, one sheet per agent, Coverage.

Figures are numeric cells with a number format (negatives in parentheses, as statements print
them), times are date-time cells in UTC, and every sheet of findings has a frozen header row
and a filter, so an auditor sorts and filters without retyping anything. Text that a
spreadsheet would run as a formula ("=...") is stored as text.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from server.exports import words
from server.exports.paper import SEVERITIES, Paper, agent_title
from server.exports.review import DecisionRow

AMOUNT_FORMAT = '#,##0;(#,##0);"–"'
DECIMAL_FORMAT = '#,##0.00;(#,##0.00);"–"'
PERCENT_FORMAT = "0.00%"
TIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
MIN_WIDTH, MAX_WIDTH = 8, 70
HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")

Finding = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    value: Callable[[Paper, Finding, DecisionRow], Any]
    kind: str = "text"  # text | amount | percent | time | date
    width: int | None = None  # fixed width; None: from the content
    wrap: bool = False


def _field(name: str) -> Callable[[Paper, Finding, DecisionRow], Any]:
    return lambda paper, finding, row: finding.get(name)


LEAD = [
    Column("Severity", _field("severity"), width=9),
    Column("Title", _field("title"), width=50, wrap=True),
    Column(
        "Location",
        lambda p, f, r: p.places.finding(f) or "no place in the document",
        width=60,
        wrap=True,
    ),
]
NUMBERS = [
    Column("Expected", _field("expected"), "amount"),
    Column("Actual (printed)", _field("actual"), "amount"),
    Column("Difference", _field("difference"), "amount"),
]
REVIEW = [
    Column("Decision", lambda p, f, r: r.decision, width=11),
    Column("Reason", lambda p, f, r: r.reason_words),
    Column("Reviewer", lambda p, f, r: r.reviewer),
    Column("Note", lambda p, f, r: r.note, width=40, wrap=True),
    Column("Decided at (UTC)", lambda p, f, r: r.decided_at, "time", width=17),
]
TAIL = [Column("Finding id", _field("id"), width=20)]
DESCRIPTION = Column("Description", _field("description"), width=60, wrap=True)
REFERENCE = Column("Reference", _field("reference"), width=16)

AGENT_COLUMNS: dict[str, list[Column]] = {
    "numeric": [
        Column("Check", _field("check"), width=15),
        REFERENCE,
        Column("Period", _field("period"), width=14),
        *NUMBERS,
        Column("Scale", _field("scale"), width=10),
        Column("Materiality", _field("materiality"), "percent", width=12),
        DESCRIPTION,
    ],
    "logic": [
        Column("Check", _field("check"), width=13),
        REFERENCE,
        Column("Claim", _field("claim"), width=50, wrap=True),
        Column("Contradiction", _field("contradiction"), width=50, wrap=True),
        DESCRIPTION,
    ],
    "disclosure": [
        Column("Standard", _field("standard"), width=10),
        REFERENCE,
        Column("Requirement", _field("requirement"), width=50, wrap=True),
        Column("Status", _field("status"), width=11),
        DESCRIPTION,
    ],
    "external": [
        Column("Source", _field("source"), width=12),
        Column("Data as of", _field("source_date"), "date", width=11),
        REFERENCE,
        Column("Status", _field("status"), width=13),
        Column("Evidence", _field("evidence"), width=50, wrap=True),
        DESCRIPTION,
    ],
}
DEFAULT_COLUMNS = [REFERENCE, DESCRIPTION]


def write_xlsx(paper: Paper) -> bytes:
    book = Workbook()
    overview = book.active
    assert overview is not None
    overview.title = "Overview"
    _overview(overview, paper)
    used = {"Overview", "Coverage"}
    for agent in paper.agents():
        sheet = book.create_sheet(_sheet_name(agent_title(agent["agent"]), used))
        _findings_sheet(sheet, paper, agent)
    _coverage(book.create_sheet("Coverage"), paper)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- Overview ---------------------------------------------------------------------------------


def _overview(ws: Worksheet, paper: Paper) -> None:
    document = paper.document or {}
    snapshot = paper.snapshot
    review = paper.review
    ws.append([f"Crosscheck working paper: {paper.document_name or paper.audit_id}"])
    ws["A1"].font = TITLE_FONT
    rows: list[tuple[str, Any, str]] = [
        ("Entity", document.get("entity_name"), "text"),
        ("Document", paper.document_name, "text"),
        ("Reporting date", document.get("reporting_date"), "date"),
        ("Presentation currency", document.get("currency"), "text"),
    ]
    inputs = snapshot.get("inputs") or {}
    if inputs.get("prior_year"):
        rows.append(("Prior-year statements", inputs["prior_year"].get("name"), "text"))
    for memo in inputs.get("memos") or []:
        rows.append(("Memo", memo.get("name"), "text"))
    rows += [
        ("Audit id", paper.audit_id, "text"),
        ("Status", snapshot.get("state"), "text"),
        ("Started (UTC)", snapshot.get("started_at"), "time"),
        ("Finished (UTC)", snapshot.get("finished_at"), "time"),
    ]
    if snapshot.get("error"):
        rows.append(("Audit error", snapshot["error"].get("message"), "text"))
    counts = paper.by_severity()
    for severity in SEVERITIES:
        rows.append((f"Findings, {severity}", counts.get(severity, 0), "count"))
    rows.append(("Findings, total", sum(counts.values()), "count"))
    decided, total = paper.decided()
    rows.append(("Decided", f"{decided} of {total}", "text"))
    if review.counts is not None:
        for severity in SEVERITIES:
            d, t = review.counts.by_severity.get(severity, (0, 0))
            rows.append((f"Decided, {severity}", f"{d} of {t}", "text"))
        rows.append(("Confirmed", review.counts.confirmed, "count"))
        rows.append(("Dismissed", review.counts.dismissed, "count"))
    if review.sign_off is not None:
        rows += [
            ("Signed off by", review.sign_off.reviewer, "text"),
            ("Signed off at (UTC)", review.sign_off.signed_at, "time"),
            ("Sign-off note", review.sign_off.note, "text"),
        ]
    else:
        rows.append(("Signed off by", "not signed off", "text"))
    if review.previous_audit_id:
        rows.append(("Earlier draft (audit id)", review.previous_audit_id, "text"))
        rows.append(("Resolved since the earlier draft", len(review.resolved), "count"))
    rows.append(("Working paper made (UTC)", paper.generated_at, "time"))
    for label, value, kind in rows:
        row = _append(ws, [label, value], ["text", kind])
        ws.cell(row, 1).font = HEADER_FONT

    ws.append([])
    ws.append(["Agent", "State", "Findings", "Duration (s)", "Error"])
    _header_style(ws, ws.max_row)
    for agent in paper.agents():
        findings = (agent.get("result") or {}).get("findings", [])
        duration = agent.get("duration_ms")
        _append(
            ws,
            [
                agent_title(agent["agent"]),
                agent.get("state"),
                len(findings) if "result" in agent else None,
                duration / 1000 if isinstance(duration, int) else None,
                (agent.get("error") or {}).get("message"),
            ],
            ["text", "text", "count", "seconds", "text"],
        )
    if review.resolved:
        ws.append([])
        ws.append(["Resolved since the earlier draft", "Severity", "Agent", "Finding id"])
        _header_style(ws, ws.max_row)
        for resolved in review.resolved:
            values = [resolved.title, resolved.severity, resolved.agent, resolved.finding_id]
            _append(ws, values, ["text"] * 4)
    ws.column_dimensions["A"].width = 32
    ws.column_dimensions["B"].width = 60
    for letter in "CDE":
        ws.column_dimensions[letter].width = 14
    for row_cells in ws.iter_rows(min_row=2, max_col=2):
        row_cells[1].alignment = WRAP


# -- one sheet per agent ----------------------------------------------------------------------


def _findings_sheet(ws: Worksheet, paper: Paper, agent: Mapping[str, Any]) -> None:
    columns = [*LEAD, *AGENT_COLUMNS.get(agent["agent"], DEFAULT_COLUMNS), *REVIEW]
    if paper.review.previous_audit_id:
        columns.append(Column("Draft", lambda p, f, r: r.draft, width=11))
        columns.append(Column("Carried from", lambda p, f, r: r.carried_from, width=24))
    columns += TAIL
    ws.append([c.header for c in columns])
    _header_style(ws, 1)
    findings = (agent.get("result") or {}).get("findings", [])
    for finding in findings:
        decision = paper.review.of(finding["id"])
        values = [column.value(paper, finding, decision) for column in columns]
        row = _append(ws, values, [column.kind for column in columns])
        for index, column in enumerate(columns, start=1):
            ws.cell(row, index).alignment = WRAP if column.wrap else TOP
    if not findings:
        ws.append([_no_findings(agent)])
    ws.freeze_panes = "A2"
    if findings:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{ws.max_row}"
    _widths(ws, columns)


def _no_findings(agent: Mapping[str, Any]) -> str:
    if agent.get("state") == "failed":
        return f"The agent did not finish: {(agent.get('error') or {}).get('message', '')}"
    if "result" not in agent:
        return f"The agent has not finished (state: {agent.get('state')})."
    return "No findings."


def _widths(ws: Worksheet, columns: Sequence[Column]) -> None:
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        if column.width is not None:
            ws.column_dimensions[letter].width = column.width
            continue
        longest = max(
            (len(str(c.value)) for (c,) in ws.iter_rows(min_col=index, max_col=index) if c.value),
            default=MIN_WIDTH,
        )
        ws.column_dimensions[letter].width = max(MIN_WIDTH, min(MAX_WIDTH, longest + 2))


# -- Coverage ---------------------------------------------------------------------------------


def _coverage(ws: Worksheet, paper: Paper) -> None:
    ws.append(["Coverage: what the agents checked, what they skipped and why"])
    ws["A1"].font = TITLE_FONT
    results = {a["agent"]: a for a in paper.agents()}

    _block(ws, "Checks", ["Agent", "Check", "Run", "Failed", "Skipped", "Note"])
    for name, agent in results.items():
        summary = (agent.get("result") or {}).get("summary") or {}
        if agent.get("state") == "failed" or "result" not in agent:
            reason = (agent.get("error") or {}).get("message") or f"state: {agent.get('state')}"
            _row(ws, [agent_title(name), "(none)", None, None, None, f"did not finish: {reason}"])
            continue
        for tally in summary.get("by_check", []):
            skipped = tally.get("skipped", 0)
            note = _skip_reason(name, tally["check"]) if skipped else None
            _row(
                ws,
                [
                    agent_title(name),
                    tally["check"],
                    tally.get("run"),
                    tally.get("failed"),
                    skipped,
                    note,
                ],
                kinds=("text", "text", "count", "count", "count", "text"),
            )
        if name == "disclosure" and summary:
            failed = summary.get("missing", 0) + summary.get("incomplete", 0)
            _row(
                ws,
                [
                    agent_title(name),
                    "requirements",
                    summary.get("requirements_checked"),
                    failed,
                    None,
                    f"{summary.get('present', 0)} present, {summary.get('missing', 0)} missing, "
                    f"{summary.get('incomplete', 0)} incomplete",
                ],
                kinds=("text", "text", "count", "count", "count", "text"),
            )
        if name == "logic" and summary:
            _row(
                ws,
                [
                    agent_title(name),
                    "claims in the text",
                    summary.get("claims_found"),
                    None,
                    max(0, summary.get("claims_found", 0) - summary.get("claims_checked", 0)),
                    f"{summary.get('claims_checked', 0)} claims could be checked against the figures; "
                    "the rest name no figure in the tables",
                ],
                kinds=("text", "text", "count", "count", "count", "text"),
            )

    disclosure = ((results.get("disclosure") or {}).get("result") or {}).get("summary") or {}
    if disclosure.get("standards"):
        _block(
            ws,
            "Standards considered (disclosure)",
            ["Standard", "Applies", "Reason", "Requirements", "Present", "Missing"],
        )
        for s in disclosure["standards"]:
            _row(
                ws,
                [
                    s.get("standard"),
                    "yes" if s.get("applies") else "no",
                    s.get("reason"),
                    s.get("requirements"),
                    s.get("present"),
                    s.get("missing"),
                ],
                kinds=("text", "text", "text", "count", "count", "count"),
            )

    external_agent = results.get("external") or {}
    external = (external_agent.get("result") or {}).get("summary") or {}
    if external.get("sources"):
        _block(
            ws,
            "Sources (external)",
            [
                "Source",
                "Available",
                "Data as of",
                "Detail",
                "Claims",
                "Verified",
                "Contradicted",
                "Unverifiable",
            ],
        )
        for s in external["sources"]:
            _row(
                ws,
                [
                    s.get("source"),
                    "yes" if s.get("available") else "no",
                    s.get("source_date"),
                    s.get("detail"),
                    s.get("claims"),
                    s.get("verified"),
                    s.get("contradicted"),
                    s.get("unverifiable"),
                ],
                kinds=("text", "text", "date", "text", "count", "count", "count", "count"),
            )

    facts = _facts(paper, external_agent)
    if facts:
        first = _block(
            ws,
            "Facts (external)",
            ["Status", "Fact", "Source", "Data as of", "Evidence", "Location"],
        )
        for fact in facts:
            _row(ws, list(fact), kinds=("text", "text", "text", "date", "text", "text"))
        ws.auto_filter.ref = f"A{first}:F{ws.max_row}"
    ws.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGH", (22, 40, 16, 50, 50, 50, 14, 14), strict=True):
        ws.column_dimensions[letter].width = width
    for row_cells in ws.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = WRAP


def _facts(paper: Paper, agent: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """Verified facts from the summary, contradicted and unverifiable ones from the findings."""
    result = agent.get("result") or {}
    facts: list[tuple[Any, ...]] = []
    for fact in (result.get("summary") or {}).get("verified_facts", []):
        where = "; ".join(paper.places.location(loc) for loc in fact.get("locations", []))
        facts.append(
            (
                "verified",
                fact.get("claim"),
                fact.get("source"),
                fact.get("source_date"),
                fact.get("evidence"),
                where,
            )
        )
    for finding in result.get("findings", []):
        facts.append(
            (
                finding.get("status"),
                finding.get("title"),
                finding.get("source"),
                finding.get("source_date"),
                finding.get("evidence"),
                paper.places.finding(finding),
            )
        )
    return facts


def _skip_reason(agent: str, check: str) -> str:
    """Why checks of a kind are skipped: the agents count them, these are their rules."""
    if agent == "numeric":
        return (
            "skipped where the structure was uncertain (no block of rows explains the printed "
            "total, no matching line or note, or unlike periods or scales): counted, never guessed"
        )
    if agent == "logic" and check == "narrative":
        return "the sentence names an amount that appears in no table, so nothing can contradict it"
    return "skipped where the document does not say enough to check it"


def _block(ws: Worksheet, title: str, headers: list[str]) -> int:
    """A titled table on the Coverage sheet; returns the header row's number."""
    ws.append([])
    ws.append([title])
    ws.cell(ws.max_row, 1).font = Font(bold=True, size=12)
    ws.append(headers)
    _header_style(ws, ws.max_row)
    return ws.max_row


def _row(ws: Worksheet, values: list[Any], kinds: Sequence[str] | None = None) -> None:
    _append(ws, values, kinds or ["text"] * len(values))


# -- cells ------------------------------------------------------------------------------------


def _header_style(ws: Worksheet, row: int) -> None:
    for cell in ws[row]:
        if cell.value is not None:
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="bottom")


def _append(ws: Worksheet, values: Sequence[Any], kinds: Sequence[str]) -> int:
    """Append one row, each value as a typed cell; returns the row's number."""
    converted = [_typed(value, kind) for value, kind in zip(values, kinds, strict=True)]
    ws.append([value for value, _ in converted])
    row = ws.max_row
    for index, (value, number_format) in enumerate(converted, start=1):
        cell = ws.cell(row, index)
        if number_format:
            cell.number_format = number_format
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # text, never a formula
    return row


def _typed(value: Any, kind: str) -> tuple[Any, str | None]:
    """The cell value and number format for a value of a kind (text, amount, time, ...)."""
    if value is None or value == "":
        return None, None
    if kind in ("amount", "percent", "count", "seconds") and isinstance(value, int | float):
        if kind == "amount":
            return value, AMOUNT_FORMAT if float(value).is_integer() else DECIMAL_FORMAT
        return value, {"percent": PERCENT_FORMAT, "seconds": "0.0"}.get(kind)
    if kind in ("time", "date") and isinstance(value, str):
        moment = words.parse_ts(value)
        if moment is not None:
            if kind == "time":
                return moment, TIME_FORMAT
            return moment.date(), DATE_FORMAT
    if isinstance(value, datetime):
        return value, TIME_FORMAT
    return ILLEGAL_CHARACTERS_RE.sub("", str(value)), None


def _sheet_name(title: str, used: set[str]) -> str:
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Agent"
    candidate, n = name, 2
    while candidate in used:
        candidate = f"{name[:28]} {n}"
        n += 1
    used.add(candidate)
    return candidate
