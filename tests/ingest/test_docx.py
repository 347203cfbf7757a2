"""Reading Word statements as preparers write them: titles in page headers, Note columns, merges."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from server.ingest.document import ColumnRole, Document, Paragraph, RowKind, StatementKind, Table
from server.ingest.reader import read_document
from tests.support.builders import DocBuilder, document_schema_errors

ENTITY = "Steppe Grain JSC"
SCALE = "In thousands of Kazakhstani tenge"

BALANCE_SHEET = [
    [SCALE, "Note", "31 December 2024", "31 December 2023"],
    ["ASSETS", "", "", ""],
    ["Non-current assets", "", "", ""],
    ["Property,\u00a0plant  and equipment", "12", "1,200", "1,100"],
    ["Intangible assets*", "13", "300", "–"],
    ["Total non-current assets", "", "1,500", "1,100"],
    ["", "", "", ""],
    ["Current assets", "", "", ""],
    ["Cash and cash equivalents", "14", "500", "450"],
    ["Trade receivables (a)", "", "200", "\u2212"],
    ["Total current assets", "", "700", "450"],
    ["TOTAL ASSETS", "", "2,200", "1,550"],
    ["", "", "", ""],
    ["EQUITY AND LIABILITIES", "", "", ""],
    ["Share capital", "15", "1,000", "1,000"],
    ["Retained earnings", "", "700", "250"],
    ["Total equity", "", "1,700", "1,250"],
    ["Borrowings", "16", "500", "300"],
    ["Total liabilities", "", "500", "300"],
    ["", "", "2,200", "1,550"],
]
PROFIT_OR_LOSS = [
    [SCALE, "Note", "2024", "2023"],
    ["Revenue", "5", "5,000", "4,000"],
    ["Cost of sales", "", "(3,000)", "(2,500)"],
    ["Gross profit", "", "2,000", "1,500"],
    ["Administrative expenses", "", "(1,400)", "(1,100)"],
    ["Profit before tax", "", "600", "400"],
    ["Income tax expense", "", "(150)", "(100)"],
    ["Profit for the year", "", "450", "300"],
]
CHANGES_IN_EQUITY = [
    [SCALE, "Share capital", "Retained earnings", "Total"],
    ["Balance at 1\u00a0January 2023", "1,000", "(50)", "950"],
    ["Profit for the year", "–", "300", "300"],
    ["Balance at 31 December 2023", "1,000", "250", "1,250"],
    ["Profit for the year", "–", "450", "450"],
    ["Balance at 31 December 2024", "1,000", "700", "1,700"],
]
CASH_FLOWS_1 = [
    [SCALE, "2024", "2023"],
    ["Cash flows from operating activities", "", ""],
    ["Profit before tax", "600", "400"],
    ["Net cash from operating activities", "650", "420"],
]
CASH_FLOWS_2 = [
    [SCALE, "2024", "2023"],
    ["Cash flows from investing activities", "", ""],
    ["Purchase of property, plant and equipment", "(300)", "(200)"],
    ["Cash flows from financing activities", "", ""],
    ["Proceeds from borrowings", "200", "100"],
    ["Net increase in cash", "50", "20"],
]
PPE_NOTE = [
    ["EUR'000", "Land", "Buildings", "Total"],
    ["Cost at 1 January 2024", "100", "1,500", "1,600"],
    ["Additions", "–", "300", "300"],
]


def statements(build: Callable[[], DocBuilder]) -> DocBuilder:
    b = build()
    b.header(ENTITY)
    b.para(ENTITY, bold=True)
    b.para("Consolidated financial statements for the year ended 31 December 2024")
    b.new_section(ENTITY, "Consolidated statement of financial position as at 31 December 2024")
    b.table(BALANCE_SHEET, merges=[(1, 0, 1, 3), (13, 0, 13, 3)])
    b.new_section(
        ENTITY, "Consolidated statement of profit or loss for the year ended 31 December 2024"
    )
    b.table(PROFIT_OR_LOSS)
    b.new_section(ENTITY, "Consolidated statement of changes in equity")
    b.table(CHANGES_IN_EQUITY)
    b.new_section(ENTITY)
    b.table(CASH_FLOWS_1)
    b.page_break()
    b.para("Consolidated statement of cash flows (continued)")
    b.table(CASH_FLOWS_2)
    b.new_section(ENTITY, "Notes to the consolidated financial statements")
    b.heading("Notes to the consolidated financial statements", 1)
    b.para("1. General information", bold=True)
    b.para("Steppe Grain JSC is a joint stock company incorporated in Kazakhstan.")
    b.para("12. Property, plant and equipment", bold=True)
    b.table(PPE_NOTE)
    b.heading("Note 13 Intangible assets", 2)
    b.para("Intangible assets are software licences. Amounts are stated in thousands of tenge.")
    return b


@pytest.fixture(scope="module")
def document() -> Document:
    return read_document(statements(DocBuilder).bytes(), "steppe-2024.docx")


def _table(doc: Document, kind: StatementKind) -> Table:
    tables = doc.statement_tables(kind)
    assert tables, f"no {kind} table among {[t.statement for t in doc.tables]}"
    return tables[0]


def test_statements_are_recognised_from_page_headers_and_rows(document: Document) -> None:
    kinds = [t.statement for t in document.tables]
    assert kinds == [
        StatementKind.FINANCIAL_POSITION,
        StatementKind.PROFIT_OR_LOSS,
        StatementKind.CHANGES_IN_EQUITY,
        StatementKind.CASH_FLOWS,
        StatementKind.CASH_FLOWS,
        None,
    ]


def test_scale_and_currency_come_from_the_first_header_cell(document: Document) -> None:
    bs = _table(document, StatementKind.FINANCIAL_POSITION)
    assert (bs.scale, bs.scale_label, bs.currency) == (1000.0, "thousands", "KZT")
    note = document.tables[-1]
    assert (note.scale_label, note.currency) == ("thousands", "EUR")


def test_note_column_holds_references_not_amounts(document: Document) -> None:
    bs = _table(document, StatementKind.FINANCIAL_POSITION)
    roles = [c.role for c in bs.columns]
    assert roles == [ColumnRole.LABEL, ColumnRole.NOTE, ColumnRole.AMOUNT, ColumnRole.AMOUNT]
    ppe = next(r for r in bs.rows if r.label == "Property, plant and equipment")
    assert ppe.note == "12"
    assert ppe.cells[1].value is None
    assert (ppe.value(2), ppe.value(3)) == (1200.0, 1100.0)


def test_periods_come_from_header_dates_and_years(document: Document) -> None:
    bs = _table(document, StatementKind.FINANCIAL_POSITION)
    assert [(c.period, c.period_end, c.year) for c in bs.amount_columns()] == [
        ("31 December 2024", "2024-12-31", 2024),
        ("31 December 2023", "2023-12-31", 2023),
    ]
    pl = _table(document, StatementKind.PROFIT_OR_LOSS)
    assert [(c.period, c.year) for c in pl.amount_columns()] == [("2024", 2024), ("2023", 2023)]
    assert [c.period_end for c in pl.amount_columns()] == ["2024-12-31", "2023-12-31"]


def test_merged_heading_cell_text_appears_once(document: Document) -> None:
    bs = _table(document, StatementKind.FINANCIAL_POSITION)
    assets = bs.rows[0]
    assert [c.text for c in assets.cells] == ["ASSETS", "", "", ""]
    assert assets.kind is RowKind.HEADING


def test_spacers_dashes_and_unlabelled_totals(document: Document) -> None:
    bs = _table(document, StatementKind.FINANCIAL_POSITION)
    spacer = next(r for r in bs.rows if not r.label and not any(c.text for c in r.cells))
    assert spacer.kind is RowKind.SPACER
    intangible = next(r for r in bs.rows if r.label == "Intangible assets")
    assert intangible.cells[3].nil and intangible.value(3) == 0.0
    receivables = next(r for r in bs.rows if r.label == "Trade receivables")
    assert receivables.cells[3].nil
    last = bs.rows[-1]
    assert last.label == "" and last.value(2) == 2200.0


def test_labels_lose_non_breaking_spaces_and_markers(document: Document) -> None:
    labels = [r.label for r in _table(document, StatementKind.FINANCIAL_POSITION).rows]
    assert "Property, plant and equipment" in labels
    assert "Intangible assets" in labels
    assert "Trade receivables" in labels


def test_changes_in_equity_columns_are_components(document: Document) -> None:
    soce = _table(document, StatementKind.CHANGES_IN_EQUITY)
    assert [c.header for c in soce.amount_columns()] == [
        "Share capital",
        "Retained earnings",
        "Total",
    ]
    assert all(c.period is None for c in soce.columns)
    assert soce.rows[0].label == "Balance at 1 January 2023"
    assert soce.rows[0].value(2) == -50.0


def test_continued_table_links_to_the_first_part(document: Document) -> None:
    first, second = document.statement_tables(StatementKind.CASH_FLOWS)
    assert second.continued_from == first.id
    assert first.continued_from is None
    assert second.scale_label == "thousands" and second.currency == "KZT"


def test_notes_become_numbered_sections_and_tables_know_their_note(document: Document) -> None:
    notes = {s.note_number: s.title for s in document.sections if s.note_number}
    assert notes == {
        "1": "General information",
        "12": "Property, plant and equipment",
        "13": "Intangible assets",
    }
    assert document.tables[-1].note_number == "12"
    assert document.note_tables("12") == [document.tables[-1]]


def test_body_order_and_sections_are_kept(document: Document) -> None:
    kinds = ["t" if isinstance(b, Table) else "p" for b in document.blocks]
    assert kinds[:2] == ["p", "t"]
    assert document.sections[0].title == ENTITY  # a bold first line is a heading
    assert kinds.count("t") == 6
    assert [b.index for b in document.blocks] == list(range(len(document.blocks)))
    last = document.blocks[-1]
    assert isinstance(last, Paragraph) and last.text.startswith("Intangible assets are software")
    section = document.section(last.section_id)
    assert section is not None and section.note_number == "13"


def test_document_facts(document: Document) -> None:
    assert document_schema_errors(document) == []
    assert document.entity_name == ENTITY
    assert document.reporting_date == "2024-12-31"
    assert document.currency == "KZT"
    assert any("statement of financial position" in h for h in document.page_headers)
    assert document.pages is not None and document.pages >= 6
    assert document.to_json()["blocks"][0]["block"] == "paragraph"
