"""The uploaded Word document returned with a comment at each finding's cell or sentence, from
real audits of the bundled samples with planted errors, opened with python-docx."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from server.exports import Original, Paper
from server.exports.docx_comments import write_docx
from server.samples import sample_path
from tests.support.exports import PLANTED, Site, data_dir_of, findings_of
from tests.support.review_data import with_review
from tests.support.word import body_text, by_finding, comments


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("sample", PLANTED)
def test_every_finding_gets_a_comment_at_its_place_or_in_the_list_at_the_top(
    site: Site, sample: str
) -> None:
    audited = site.audit(sample)
    data = site.export(audited.audit_id, "docx").content
    found = comments(data)
    placed = by_finding(found)
    findings = findings_of(audited.snapshot)
    top = [c for c in found if c.text.startswith("Crosscheck: ")]
    listed = top[0].text if top else ""
    tables = {b["id"]: b for b in audited.document["blocks"] if b["block"] == "table"}
    for finding in findings:
        if finding["id"] not in placed:
            assert finding["title"] in listed, f"{finding['title']!r} was dropped"
            continue
        comment = placed[finding["id"]]
        assert comment.author == "Crosscheck"
        assert comment.text.startswith(f"[{finding['severity'].capitalize()}] {finding['title']}")
        assert "Decision: open" in comment.text
        location = finding["locations"][0]
        if location.get("table") and location.get("cells") and "document" not in location:
            cell = location["cells"][0]
            printed = tables[location["table"]]["rows"][cell["row"]]["cells"][cell["column"]]
            assert comment.in_table and _flat(comment.anchored) == _flat(printed), finding["title"]
        elif location.get("quote") and "document" not in location:
            assert _flat(location["quote"][:60]) in _flat(comment.anchored), finding["title"]
    assert len(top) == (1 if len(placed) < len(findings) else 0)
    # Anchored where the figures and sentences are: nearly all of them.
    assert len(placed) >= len(findings) - 3, (len(placed), len(findings))


def test_a_planted_figure_and_a_planted_sentence_carry_their_comments(site: Site) -> None:
    audited = site.audit("fanmilk-2024-planted")
    placed = by_finding(comments(site.export(audited.audit_id, "docx").content))
    findings = findings_of(audited.snapshot)
    # Planted: the profit or loss's 2023 revenue 549,416 -> 565,898.
    revenue = next(f for f in findings if f["agent"] == "numeric" and f["actual"] == 565898)
    comment = placed[revenue["id"]]
    assert comment.anchored == "565,898"
    assert "Expected 549,416, printed 565,898 (difference 16,482), in thousands." in comment.text
    # Planted: "... 25% on local sales and 12% on export sales" (the reconciliation says 8%).
    rate = next(f for f in findings if f["agent"] == "logic" and "12%" in f["title"])
    anchored = placed[rate["id"]].anchored
    assert "12% on export sales" in anchored and anchored.startswith("The tax on the Company")


def test_a_finding_only_in_a_memo_is_listed_at_the_top(site: Site) -> None:
    audited = site.audit("insig-2024-planted")
    found = comments(site.export(audited.audit_id, "docx").content)
    memo_only = [
        f
        for f in findings_of(audited.snapshot)
        if all(loc.get("document", "").endswith("minutes.docx") for loc in f["locations"])
        and f["locations"]
    ]
    assert memo_only
    top = next(c for c in found if c.text.startswith("Crosscheck: "))
    assert top.anchored.strip(), "the list is anchored on the document's first words"
    for finding in memo_only:
        assert finding["title"] in top.text
        assert "insig-2024-board-minutes.docx" in top.text  # where it is, in words


def test_the_stored_original_is_never_changed(site: Site) -> None:
    audited = site.audit("fanmilk-2024-planted")
    first = site.export(audited.audit_id, "docx").content
    second = site.export(audited.audit_id, "docx").content
    assert len(comments(first)) == len(comments(second)) > 0, "comments never accumulate"
    with sqlite3.connect(data_dir_of(site) / "documents.sqlite3") as conn:
        (stored,) = conn.execute(
            "SELECT data FROM documents WHERE audit_id = ? AND role = 'document'",
            (audited.audit_id,),
        ).fetchone()
    original = sample_path("fanmilk-2024-planted.docx").read_bytes()
    assert bytes(stored) == original
    assert comments(original) == []
    assert _flat(body_text(first)) == _flat(body_text(original)), (
        "the copy's text is the original's"
    )


def test_decisions_are_written_into_the_comments(site: Site) -> None:
    audited = site.audit("fanmilk-2024-planted")
    findings = findings_of(audited.snapshot)
    decided = findings[0]
    snapshot = with_review(
        audited.snapshot,
        {
            decided["id"]: [
                {
                    "decision": "dismissed",
                    "reason": "immaterial",
                    "note": "Below the threshold.",
                    "reviewer": "Bo Chen",
                    "ts": "2026-11-27T10:05:00.000Z",
                }
            ]
        },
    )
    original = Original(
        "fanmilk-2024-planted.docx", sample_path("fanmilk-2024-planted.docx").read_bytes()
    )
    copy = write_docx(Paper(snapshot, audited.document, original))
    comment = by_finding(comments(copy.data))[decided["id"]]
    assert (
        "Decision: dismissed (immaterial) by Bo Chen on 2026-11-27 10:05 UTC: Below the threshold."
        in comment.text
    )


def _libreoffice() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


def test_the_word_copy_converts_cleanly_to_pdf(site: Site, tmp_path: Path) -> None:
    office = _libreoffice()
    if office is None:
        pytest.skip("LibreOffice is not installed: scripts/test installs it (ensure_libreoffice).")
    audited = site.audit("flowtraders-2024-planted")
    source = tmp_path / "commented.docx"
    source.write_bytes(site.export(audited.audit_id, "docx").content)
    profile = tmp_path / "profile"  # a profile of its own: no clash with another LibreOffice
    result = subprocess.run(
        [
            office,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = tmp_path / "commented.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stderr
    assert pdf.read_bytes().startswith(b"%PDF-") and pdf.stat().st_size > 10_000
