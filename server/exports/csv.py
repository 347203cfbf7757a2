"""The findings as CSV: one row per finding, the location in words, the decision beside it.

UTF-8 with a byte-order mark, so Excel opens accents and currency signs as written; CRLF line
ends (RFC 4180). A cell that starts with = + - @ is prefixed with ' so a spreadsheet never
runs it as a formula. The first columns are those the page exported before, in the same order.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from server.exports.paper import Paper

BOM = "\ufeff"
FINDING_COLUMNS = (
    "agent",
    "id",
    "severity",
    "title",
    "description",
    "reference",
    "location",
    "check",
    "expected",
    "actual",
    "difference",
    "period",
    "scale",
    "claim",
    "contradiction",
    "standard",
    "requirement",
    "status",
    "source",
    "source_date",
    "evidence",
)
REVIEW_COLUMNS = ("decision", "reason", "reviewer", "note", "decided_at", "draft")
COLUMNS = FINDING_COLUMNS + REVIEW_COLUMNS
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_csv(paper: Paper) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for finding in paper.findings():
        writer.writerow([_field(value) for value in _values(paper, finding)])
    return (BOM + out.getvalue()).encode("utf-8")


def _values(paper: Paper, finding: Mapping[str, Any]) -> list[Any]:
    decision = paper.review.of(finding["id"])
    row = {**finding, "location": paper.places.finding(finding)}
    values = [row.get(column) for column in FINDING_COLUMNS]
    values += [
        decision.decision,
        decision.reason,
        decision.reviewer,
        decision.note,
        decision.decided_at,
        decision.draft,
    ]
    return values


def _field(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return (
            repr(value) if isinstance(value, float) and not value.is_integer() else str(int(value))
        )
    text = " ".join(str(value).split("\n")) if "\n" in str(value) else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text
