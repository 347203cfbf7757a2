"""Real SEC filings of ../shared/corpus/html: every one reads, and the statements are found.

The corpus is not part of the repository (published reports are never copied in); these tests
skip with a message where it is absent, as on CI machines without it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from server.agents.numeric.calculations import calculation_results, structure_agreement
from server.ingest.document import Document, StatementKind
from server.ingest.html.calculations import read_calculations
from server.ingest.reader import read_document

_ROOT = Path(__file__).resolve().parents[2]
CORPUS = next(
    (
        p / "corpus" / "html"
        for p in (_ROOT.parent / "shared", _ROOT.parent.parent / "shared")
        if (p / "corpus" / "html").is_dir()
    ),
    None,
)
pytestmark = pytest.mark.skipif(
    CORPUS is None, reason="no ../shared/corpus/html here: the real filings are not in the repo"
)
FILINGS = sorted(p.name for p in CORPUS.glob("*.htm*")) if CORPUS else []
# IBM's 10-K incorporates its financial statements by reference from the annual report to
# shareholders (an exhibit): the 10-K document itself has none.
NO_STATEMENTS = {"ibm-10-k-2025-02-25.html"}
PRIMARY = (
    StatementKind.FINANCIAL_POSITION,
    StatementKind.PROFIT_OR_LOSS,
    StatementKind.COMPREHENSIVE_INCOME,
    StatementKind.CASH_FLOWS,
)


def _read(name: str) -> Document:
    assert CORPUS is not None
    return read_document((CORPUS / name).read_bytes(), name)


@pytest.mark.parametrize("name", FILINGS)
def test_every_corpus_filing_reads_with_its_tags(name: str) -> None:
    doc = _read(name)
    assert doc.report_type == "10-K" and doc.entity_name and doc.reporting_date
    assert doc.facts and doc.tables
    on_cells = {c.fact.id for t in doc.tables for r in t.rows for c in r.cells if c.fact}
    in_cells = _single_tag_cells(name)
    # Every figure tagged alone in a table cell is kept with its cell (facts in prose are not).
    assert len(in_cells & on_cells) >= 0.95 * len(in_cells)


def _single_tag_cells(name: str) -> set[str]:
    """Ids of the `ix:nonFraction` tags that sit alone in a visible table cell."""
    from server.ingest.html.tree import IX_NS, is_nil, local, parse

    assert CORPUS is not None
    root = parse((CORPUS / name).read_bytes(), name)
    ids: set[str] = set()
    for td in root.iter("{*}td"):
        tags = list(td.iter(f"{{{IX_NS}}}nonFraction"))
        hidden = any(local(a) == "hidden" for a in td.iterancestors())
        if len(tags) == 1 and not hidden and not is_nil(tags[0]) and tags[0].get("id"):
            ids.add(tags[0].get("id") or "")
    return ids


@pytest.mark.parametrize("name", [n for n in FILINGS if n not in NO_STATEMENTS])
def test_the_primary_statements_of_each_10k_are_found(name: str) -> None:
    doc = _read(name)
    found = {t.statement for t in doc.tables if t.statement}
    assert set(PRIMARY) <= found
    position = doc.statement_tables(StatementKind.FINANCIAL_POSITION)[0]
    assert position.scale_label == "millions" and position.currency == "USD"
    assert all(c.year for c in position.amount_columns())


def test_aeon_10q_with_its_calculation_linkbase() -> None:
    assert CORPUS is not None
    folder = CORPUS / "aeon-10q-2023"
    calcs = read_calculations((folder / "aeon-20230930_cal.xml").read_bytes())
    doc = read_document((folder / "aeon-20230930x10q.htm").read_bytes(), "aeon.htm")
    doc.calculations = calcs
    assert doc.report_type == "10-Q" and doc.reporting_date == "2023-09-30"
    results = calculation_results(doc)
    consistent = [r for r in results if r.status == "consistent"]
    assert len(consistent) >= 20
    agreement = structure_agreement(doc)
    assert agreement.agree >= 8
