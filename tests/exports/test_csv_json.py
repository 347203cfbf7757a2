"""CSV (with a byte-order mark, for Excel) and JSON exports of a real audit."""

from __future__ import annotations

import csv
import io
import json

from server.exports import Original, Paper
from server.exports.csv import COLUMNS, write_csv
from tests.support.exports import Site, findings_of
from tests.support.frames import assert_valid_body
from tests.support.review_data import with_review

SNAPSHOT_KEYS = (
    "audit_id",
    "state",
    "last_seq",
    "started_at",
    "finished_at",
    "document",
    "inputs",
    "agents",
    "duration_ms",
    "summary",
)


def _rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark, so Excel reads UTF-8"
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_has_a_row_per_finding_with_its_place_in_words(site: Site) -> None:
    audited = site.audit("fanmilk-2024-planted")
    data = site.export(audited.audit_id, "csv").content
    header = data.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("agent,id,severity,title") and header.split(",") == list(COLUMNS)
    rows = _rows(data)
    findings = findings_of(audited.snapshot)
    assert [r["id"] for r in rows] == [f["id"] for f in findings]
    revenue = next(r for r in rows if r["agent"] == "numeric" and r["actual"] == "565898")
    assert revenue["location"].startswith("Statement of profit or loss, row 'Revenue', 2023")
    assert (revenue["expected"], revenue["difference"]) == ("549416", "16482")
    assert all(r["decision"] == "open" for r in rows)


def test_csv_carries_decisions_and_never_a_formula(site: Site) -> None:
    audited = site.audit("fanmilk-2024-planted")
    finding = findings_of(audited.snapshot)[0]
    snapshot = with_review(
        audited.snapshot,
        {
            finding["id"]: [
                {
                    "decision": "dismissed",
                    "reason": "false_alarm",
                    "note": "=HYPERLINK(1)",
                    "reviewer": "Ana Lee",
                    "ts": "2026-11-27T10:00:00.000Z",
                }
            ]
        },
    )
    rows = _rows(write_csv(Paper(snapshot, audited.document, Original("x.docx", b""))))
    row = next(r for r in rows if r["id"] == finding["id"])
    assert (row["decision"], row["reason"], row["reviewer"]) == (
        "dismissed",
        "false_alarm",
        "Ana Lee",
    )
    assert row["note"] == "'=HYPERLINK(1)"
    assert row["decided_at"] == "2026-11-27T10:00:00.000Z"


def test_json_is_the_snapshot_with_findings_and_locations_in_words(site: Site) -> None:
    audited = site.audit("fanmilk-2024-planted")
    exported = json.loads(site.export(audited.audit_id, "json").content)
    snapshot = {k: exported[k] for k in SNAPSHOT_KEYS if k in exported}
    assert_valid_body("Snapshot", snapshot)
    assert snapshot == audited.snapshot
    findings = findings_of(audited.snapshot)
    assert exported["findings"] == findings  # as the contract defines them, as before
    assert sum(exported["findings_by_severity"].values()) == len(findings)
    assert exported["entity_name"] == "Fan Milk PLC"
    words = exported["locations_in_words"]
    assert set(words) == {f["id"] for f in findings}
    revenue = next(f for f in findings if f["agent"] == "numeric" and f["actual"] == 565898)
    assert words[revenue["id"]][0] == "Statement of profit or loss, row 'Revenue', 2023"
