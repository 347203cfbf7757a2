"""The uploaded Word document returned with a comment at each finding's cell or sentence.

Made on request from a copy of the stored bytes (the original is never changed): each finding
gets one comment by "Crosscheck" anchored on the first of its locations that can be found in
the file (server/exports/docx_places.py): the cell of a figure, the runs of a quoted sentence,
a section's heading. A finding with no place in this file (a missing disclosure, an event found
only in a memo, a table whose Word layout could not be matched) is never dropped: all such
findings are listed in one comment on the document's first paragraph.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import docx
from docx.text.run import Run

from server.exports import words
from server.exports.docx_places import WordPlaces
from server.exports.paper import Paper
from server.ingest.docx import read_docx
from server.ingest.raw import RawTable

AUTHOR = "Crosscheck"
INITIALS = "CC"
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class NotWordDocument(ValueError):
    """The audited upload is not a .docx: there is no Word file to comment."""


@dataclass(frozen=True, slots=True)
class CommentedCopy:
    data: bytes
    anchored: list[str]  # ids of findings commented at their place
    unplaced: list[str]  # ids of findings listed in the comment at the top


def is_word(filename: str) -> bool:
    return filename.lower().endswith(".docx")


def write_docx(paper: Paper) -> CommentedCopy:
    original = paper.original
    if original is None or not is_word(original.filename):
        name = original.filename if original else "the audited document"
        raise NotWordDocument(
            f"{name!r} is not a Word .docx file; the commented copy needs the original .docx."
        )
    document = docx.Document(io.BytesIO(original.data))  # a copy: the stored bytes stay as they are
    raw_tables = [b for b in read_docx(original.data).blocks if isinstance(b, RawTable)]
    places = WordPlaces(document, paper.document or {}, raw_tables)
    anchored: list[str] = []
    unplaced: list[Mapping[str, Any]] = []
    for finding in paper.findings():
        runs = _anchor(places, paper, finding)
        if runs is None:
            unplaced.append(finding)
            continue
        document.add_comment(runs, _safe(_comment(paper, finding)), AUTHOR, INITIALS)
        anchored.append(finding["id"])
    if unplaced:
        document.add_comment(
            places.first_runs(), _safe(_unplaced(paper, unplaced)), AUTHOR, INITIALS
        )
    out = io.BytesIO()
    document.save(out)
    return CommentedCopy(out.getvalue(), anchored, [f["id"] for f in unplaced])


def _anchor(places: WordPlaces, paper: Paper, finding: Mapping[str, Any]) -> list[Run] | None:
    for location in finding.get("locations", []):
        if not paper.places.in_this_document(location):
            continue
        runs: list[Run] | None = None
        cells = location.get("cells") or []
        if location.get("table") and cells:
            runs = places.cell_runs(location["table"], cells[0]["row"], cells[0]["column"])
        elif location.get("paragraph") or location.get("quote"):
            runs = places.paragraph_runs(location.get("paragraph"), location.get("quote"))
        elif location.get("section"):
            runs = places.section_runs(location["section"])
        if runs:
            return runs
    return None


def _comment(paper: Paper, finding: Mapping[str, Any]) -> str:
    lines = [f"[{finding['severity'].capitalize()}] {finding['title']}"]
    detail = _detail(finding)
    if detail:
        lines.append(detail)
    lines.append("Decision: " + words.decision(paper.review.of(finding["id"])))
    reference = finding.get("reference")
    lines.append(f"Crosscheck {finding['id']}" + (f" · {reference}" if reference else ""))
    return "\n".join(lines)


def _detail(finding: Mapping[str, Any]) -> str:
    """What the finding says in one line: expected against printed, or claim and evidence."""
    if isinstance(finding.get("expected"), int | float) and isinstance(
        finding.get("actual"), int | float
    ):
        text = (
            f"Expected {words.amount(finding['expected'])}, "
            f"printed {words.amount(finding['actual'])}"
        )
        if isinstance(finding.get("difference"), int | float):
            text += f" (difference {words.amount(finding['difference'])})"
        scale = words.SCALE_WORDS.get(finding.get("scale") or "")
        return text + (f", {scale}" if scale else "") + "."
    for key, label in (
        ("contradiction", "Contradicted by"),
        ("requirement", "Requirement"),
        ("evidence", "Source says"),
    ):
        if finding.get(key):
            return f"{label}: {finding[key]}"
    return str(finding.get("description") or "")


def _unplaced(paper: Paper, findings: list[Mapping[str, Any]]) -> str:
    count = len(findings)
    lines = [
        f"Crosscheck: {count} finding{'s' if count > 1 else ''} without a place in this document "
        "(a missing disclosure, a place in another uploaded file, or a table that could not be "
        "matched):"
    ]
    for finding in findings:
        where = paper.places.finding(finding)
        line = f"• [{finding['severity'].capitalize()}] {finding['title']}"
        if where:
            line += f" ({where})"
        detail = _detail(finding)
        if detail and finding.get("expected") is not None:
            line += f" {detail}"
        line += " Decision: " + words.decision(paper.review.of(finding["id"]))
        lines.append(line)
    return "\n".join(lines)


def _safe(text: str) -> str:
    return _XML_UNSAFE.sub("", text)
