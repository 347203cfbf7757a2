"""The PDF reader on real 10-K filings from the shared corpus (never copied into the repo).

Skipped, saying why, on machines without `shared/corpus/pdf` (CI may not have it). Each filing's
primary statement pages (bench/pdf/statements.py) must each be read as one table whose amount
columns carry their years; speed is measured in bench/pdf, never here.
"""

from __future__ import annotations

import pytest

from bench.pdf.corpus import corpus_dir
from bench.pdf.statements import STATEMENT_PAGES
from server.ingest.pdf import read_pdf
from server.ingest.raw import RawTable
from server.ingest.reader import read_document

CORPUS = corpus_dir()
pytestmark = pytest.mark.skipif(
    CORPUS is None, reason="the shared corpus of real reports (shared/corpus/pdf) is absent"
)
# A few filings of different makers: Workiva-like (Adobe), Word-printed (Corning), HTML-printed
# with a "$" column far from its figures (AMD), a fiscal year ending in June (Microsoft).
FILINGS = [
    "ADOBE_2022_10K.pdf",
    "AMD_2021_10K.pdf",
    "CORNING_2022_10K.pdf",
    "MICROSOFT_2023_10K.pdf",
]
YEARS = {"BS": 2, "IS": 3, "CI": 3, "CF": 3}


@pytest.mark.parametrize("name", FILINGS)
def test_each_primary_statement_page_is_one_table_with_its_years(name: str) -> None:
    assert CORPUS is not None
    data = (CORPUS / name).read_bytes()
    raw = read_pdf(data, name)
    tables: dict[int, list[RawTable]] = {}
    for block in raw.blocks:
        if isinstance(block, RawTable) and block.page is not None:
            tables.setdefault(block.page, []).append(block)
    for statement, page in STATEMENT_PAGES[name].items():
        found = tables.get(page, [])
        assert len(found) == 1, f"{statement} on page {page}: {len(found)} tables"
    doc = read_document(data, name)
    by_page = {t.rows[0].label: t for t in doc.tables if t.rows}
    for statement, years in YEARS.items():
        raw_table = tables[STATEMENT_PAGES[name][statement]][0]
        first_label = next(r[0] for r in raw_table.rows[1:] if r[0])
        table = by_page[first_label]
        found_years = [c.year for c in table.amount_columns() if c.year]
        assert len(found_years) == years, f"{statement}: years {found_years}"
        assert found_years == sorted(found_years, reverse=True)


def test_no_bare_currency_sign_is_left_in_a_statement_cell() -> None:
    assert CORPUS is not None
    for name in FILINGS:
        raw = read_pdf((CORPUS / name).read_bytes(), name)
        pages = set(STATEMENT_PAGES[name].values())
        for block in raw.blocks:
            if isinstance(block, RawTable) and block.page in pages:
                assert not any(c.strip() in ("$", "€", "£") for row in block.rows for c in row)
