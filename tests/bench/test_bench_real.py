"""The real-report benchmark (bench/real) once over a tiny synthetic corpus, so its code path runs
in CI without the published reports: a PDF made here, a Markdown report and an inline-XBRL 10-K
of an invented company (tests/bench/real_corpus). Figures are not judged, only that every report
is measured and totalled, that the cache is reused, and that findings are classified."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bench.real import run, show, verified
from bench.real.corpus import find_reports
from tests.support.builders import write_pdf

CORPUS = Path(__file__).with_name("real_corpus")


def _pdf() -> bytes:
    lines = [
        (50.0, 760.0, "Consolidated statement of financial position", 14.0),
        (400.0, 715.0, "2024", 10.0),
        (480.0, 715.0, "2023", 10.0),
    ]
    rows = [
        ("Cash", "1,100", "900"),
        ("Receivables", "700", "600"),
        ("Total current assets", "1,800", "1,500"),
    ]
    y = 690.0
    for label, current, prior in rows:
        lines += [(50.0, y, label, 10.0), (400.0, y, current, 10.0), (480.0, y, prior, 10.0)]
        y -= 12
    return write_pdf([lines])


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    (root / "pdf").mkdir()
    (root / "pdf" / "northwind-2024.pdf").write_bytes(_pdf())
    return root


def _final_json(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert isinstance(figures, dict)
    return figures


def test_every_report_is_read_audited_and_totalled(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache, findings = tmp_path / "cache", tmp_path / "findings.jsonl"
    figures = run.main(
        ["--corpus", str(corpus), "--cache", str(cache), "--findings", str(findings)]
    )
    assert _final_json(capsys) == json.loads(json.dumps(figures))
    reports = {r["report"]: r for r in figures["reports"]}
    assert set(reports) == {"northwind-2024.pdf", "northwind-10-k-2024.html", "northwind-2024.md"}
    assert reports["northwind-10-k-2024.html"]["status"] in ("ok", "unsupported")
    markdown = reports["northwind-2024.md"]
    assert markdown["status"] == "ok" and markdown["tables"] == 2
    assert {"financial_position", "profit_or_loss"} <= set(markdown["statements"])
    assert markdown["numeric_checks"]["run"] > 0
    pdf = reports["northwind-2024.pdf"]
    assert pdf["status"] == "ok" and pdf["pages"] == 1
    assert pdf["read_peak_mb"] >= pdf["base_mb"] > 0
    totals = figures["totals"]
    assert totals["read"] == sum(r["status"] == "ok" for r in reports.values())
    assert totals["findings_total"] == totals["verified_real"] + totals["presumed_false"]
    written = [json.loads(line) for line in findings.read_text().splitlines()]
    assert len(written) == totals["findings_total"]
    # A second run reads nothing: the parsed documents come from the cache.
    again = run.main(["--corpus", str(corpus), "--cache", str(cache), "--no-agents", "--markdown"])
    assert "| northwind-2024.md | text |" in capsys.readouterr().out
    for report in again["reports"]:
        if report["status"] == "ok":
            assert report["cached"] and report["tables"] == reports[report["report"]]["tables"]
            assert "numeric_checks" not in report


def test_only_and_format_choose_reports(corpus: Path) -> None:
    assert [r.name for r in find_reports(corpus, fmt="text")] == ["northwind-2024.md"]
    assert [r.format for r in find_reports(corpus)] == ["pdf", "html", "text"]
    assert [r.name for r in find_reports(corpus, only="10-K")] == ["northwind-10-k-2024.html"]


def test_no_corpus_is_said_plainly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    figures = run.main(["--corpus", str(tmp_path / "absent")])
    assert "No corpus at" in capsys.readouterr().out
    assert figures["reports"] == []


def test_a_listed_finding_counts_as_verified_real(tmp_path: Path) -> None:
    listing = tmp_path / "verified.yaml"
    listing.write_text(
        "verified:\n"
        "  - report: a.pdf\n    agent: numeric\n    check: footing\n"
        "    title_contains: total assets\n    figures: 5,300 vs 5,310\n"
        "    where: balance sheet, page 3\n    why: the items sum to 5,310\n"
    )
    entries = verified.load(listing)
    real = {"agent": "numeric", "check": "footing", "title": "Total assets does not add up"}
    other = {"agent": "numeric", "check": "footing", "title": "Total equity does not add up"}
    assert verified.is_verified(entries, "a.pdf", real)
    assert not verified.is_verified(entries, "b.pdf", real)
    assert not verified.is_verified(entries, "a.pdf", other)
    result = {"report": "a.pdf", "status": "ok", "agents": {}, "findings": [
        real | {"severity": "high"}, other | {"severity": "medium"},
    ]}  # fmt: skip
    run.classify(result, entries)
    assert (result["verified_real"], result["presumed_false"]) == (1, 1)
    assert result["alarms_high_medium"] == 1  # only the unverified one is an alarm


def test_an_entry_without_evidence_is_refused(tmp_path: Path) -> None:
    listing = tmp_path / "verified.yaml"
    listing.write_text("verified:\n  - report: a.pdf\n    agent: numeric\n    id: numeric-1\n")
    with pytest.raises(ValueError, match="lacks figures, where, why"):
        verified.load(listing)
    assert isinstance(verified.load(), list)  # the committed list is well formed


def test_show_prints_a_table_as_read(capsys: pytest.CaptureFixture[str]) -> None:
    show.main(["northwind-2024.md", "t2", "--corpus", str(CORPUS)])
    out = capsys.readouterr().out
    assert "t2 [financial_position]" in out
    assert "'Total assets': Total assets | 5,300 | 4,750" in out
