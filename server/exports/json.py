"""The JSON export: the snapshot (with its review when it has one), every finding as the
contract defines it, and each finding's locations in words.

The keys the page exported before (`audit_id`, `state`, `document`, `finished_at`,
`findings_by_severity`, `findings`) keep their meaning, so scripts written against it work on.
"""

from __future__ import annotations

import json
from typing import Any

from server.exports.paper import Paper


def write_json(paper: Paper) -> bytes:
    findings = paper.findings()
    exported: dict[str, Any] = {
        **paper.snapshot,
        "findings_by_severity": paper.by_severity(),
        "findings": findings,
        "locations_in_words": {
            f["id"]: [paper.places.location(loc) for loc in f.get("locations", [])]
            for f in findings
        },
        "exported_at": paper.generated_at,
    }
    if paper.document is not None:
        exported["entity_name"] = paper.document.get("entity_name")
        exported["reporting_date"] = paper.document.get("reporting_date")
    exported = {k: v for k, v in exported.items() if v is not None}
    return (json.dumps(exported, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
