"""The HTML / inline-XBRL reader on small filings built here (figures: Coca-Cola's 2024 10-K).

The builders (tests/support/html_filings.py) make SEC-style XHTML the way filing tools lay
statements out: "$" and ")" in cells of their own, empty spacer columns, labels spanning grid
columns, period headers over several rows, every figure tagged with `ix:nonFraction`.
"""

from __future__ import annotations

import pytest

from server.errors import InvalidDocument
from server.ingest.document import ColumnRole, DocumentKind, StatementKind
from server.ingest.reader import read_document
from server.ingest.upload import check_upload
from tests.support.html_filings import (
    balance_sheet,
    contents,
    fig,
    filing,
    income_statement,
    page_break,
)


def _doc(*parts: str):  # type: ignore[no-untyped-def]
    return read_document(filing(*parts), "ko-10-k.htm")


def test_split_dollar_and_parenthesis_cells_collapse_into_one_figure_per_period() -> None:
    doc = _doc(balance_sheet())
    table = doc.tables[0]
    assert [c.role for c in table.columns] == [
        ColumnRole.LABEL,
        ColumnRole.AMOUNT,
        ColumnRole.AMOUNT,
    ]
    rows = {r.label: r for r in table.rows}
    cash = rows["Cash and cash equivalents"]
    assert [c.text for c in cash.cells] == ["Cash and cash equivalents", "$10,828", "$9,366"]
    treasury = rows["Treasury stock, at cost"]
    assert [c.text for c in treasury.cells[1:]] == ["(55,916)", "$(54,535)"]
    assert [c.value for c in treasury.cells[1:]] == [-55916.0, -54535.0]


def test_multi_row_period_headers_keep_their_years_and_dates() -> None:
    doc = _doc(balance_sheet(), income_statement())
    position, income = doc.tables
    assert [c.period_end for c in position.amount_columns()] == ["2024-12-31", "2023-12-31"]
    assert [c.year for c in income.amount_columns()] == [2024, 2023, 2022]
    assert all("Year Ended December 31," in c.header for c in income.amount_columns())
    assert position.statement is StatementKind.FINANCIAL_POSITION
    assert income.statement is StatementKind.PROFIT_OR_LOSS


def test_tags_give_concept_context_period_and_exact_value() -> None:
    doc = _doc(balance_sheet())
    cash = next(r for r in doc.tables[0].rows if r.label.startswith("Cash"))
    fact = cash.cells[1].fact
    assert fact is not None
    assert (fact.concept, fact.context, fact.period_end, fact.period_start) == (
        "us-gaap:CashAndCashEquivalentsAtCarryingValue",
        "i2024",
        "2024-12-31",
        None,
    )
    assert (fact.value, fact.scale, fact.decimals, fact.unit) == (10_828e6, 6, -6, "USD")
    # The table's scale is the tags' (millions), and Cell.value stays in printed units.
    assert doc.tables[0].scale == 1e6 and doc.tables[0].scale_label == "millions"
    assert cash.cells[1].value == 10828.0
    assert doc.tables[0].currency == "USD"


def test_sign_minus_and_formats_are_read_from_the_tag() -> None:
    doc = _doc(balance_sheet(), income_statement())
    other = next(r for r in doc.tables[1].rows if r.label.startswith("Other income"))
    fact = other.cells[3].fact
    assert fact is not None and fact.sign == -1 and fact.value == -262e6
    assert other.cells[3].text == "(262)" and other.cells[3].value == -262.0
    assert fact.period_start == "2023-01-01" and fact.period_end == "2023-12-31"
    europe = next(r for r in doc.tables[0].rows if r.label.startswith("Europe"))
    words, dash = europe.cells[1].fact, europe.cells[2].fact
    assert words is not None and words.value == 0.0 and words.dimensional
    assert dash is not None and dash.value == 0.0 and not dash.dimensional
    assert europe.cells[1].value == 0.0  # "no" is a figure under ixt-sec:numwordsen


def test_every_tagged_figure_is_a_document_fact_hidden_ones_too() -> None:
    doc = _doc(balance_sheet())
    concepts = {f.concept for f in doc.facts}
    assert "us-gaap:HiddenFigure" in concepts  # in ix:hidden: a fact, but not body text
    assert "999" not in doc.text()


def test_cover_page_tags_set_entity_type_and_period() -> None:
    doc = _doc(balance_sheet())
    assert doc.kind is DocumentKind.HTML
    assert doc.entity_name == "COCA COLA CO"
    assert doc.report_type == "10-K"
    assert doc.reporting_date == "2024-12-31"
    assert doc.fiscal_period == "FY" and doc.amendment is False


def test_contents_entries_never_become_headings() -> None:
    doc = _doc(contents(), page_break(1), balance_sheet())
    titles = [s.title for s in doc.sections]
    assert "Consolidated Balance Sheets 52" not in titles
    assert not any(t.startswith("Consolidated Statements of Income") for t in titles)
    assert "CONSOLIDATED BALANCE SHEETS" in titles
    assert any(p.text.startswith("Consolidated Balance Sheets") for p in doc.paragraphs)


def test_page_numbers_and_back_links_are_not_body_text() -> None:
    pages = "".join(
        f"<div><span>Paragraph of page {n} about the business.</span></div>{page_break(n)}"
        for n in range(1, 6)
    )
    doc = _doc(pages, balance_sheet())
    texts = [p.text for p in doc.paragraphs]
    assert "Table of Contents" not in texts
    assert not any(t.isdigit() for t in texts)
    assert doc.pages == 6


def test_html_document_to_json_shows_the_concept_of_a_cell() -> None:
    doc = _doc(balance_sheet())
    table = next(b for b in doc.to_json()["blocks"] if b["block"] == "table")
    cash = next(r for r in table["rows"] if r["label"].startswith("Cash"))
    assert cash["facts"][0]["column"] == 1
    assert cash["facts"][0]["concept"] == "us-gaap:CashAndCashEquivalentsAtCarryingValue"
    assert cash["facts"][0]["period_end"] == "2024-12-31"


def test_plain_html_without_xbrl_reads_with_the_forgiving_parser() -> None:
    html = (
        "<!DOCTYPE html><html><body><h1>Statement of financial position</h1>"
        "<p>Amounts in thousands<br>of euros"
        "<table><tr><th></th><th>2024</th><th>2023</th></tr>"
        "<tr><td>Cash<td>1,200<td>900"
        "<tr><td>Receivables<td>300<td>(100)"
        "<tr><td><b>Total</b><td>1,500<td>800</table></body></html>"
    )
    doc = read_document(html.encode(), "plain.html")
    assert doc.sections[0].title == "Statement of financial position"
    table = doc.tables[0]
    assert [r.label for r in table.rows] == ["Cash", "Receivables", "Total"]
    assert table.rows[1].cells[2].value == -100.0
    assert table.rows[2].components  # the structure agent's totals work on HTML tables too


def test_layout_tables_without_figures_are_paragraphs() -> None:
    bullets = (
        "<table><tr><td>•</td><td>We sell beverages in more than 200 countries.</td></tr></table>"
    )
    doc = _doc(bullets, balance_sheet())
    assert len(doc.tables) == 1
    assert any("200 countries" in p.text for p in doc.paragraphs)


def test_progress_is_reported_while_reading() -> None:
    calls: list[tuple[int, int, str]] = []
    read_document(
        filing(balance_sheet()), "ko.htm", progress=lambda d, t, m: calls.append((d, t, m))
    )
    assert calls and calls[-1][0] == calls[-1][1]
    assert all(0 <= d <= t for d, t, _ in calls)


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf  \n<!DOCTYPE html><html><body><p>Revenue rose.</p></body></html>",
        b"\n\n<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'><body><p>Revenue rose.</p></body></html>",
    ],
)
def test_html_upload_check_accepts_bom_whitespace_and_xml_declarations(data: bytes) -> None:
    assert check_upload(data, "report.xhtml") is DocumentKind.HTML
    assert read_document(data, "report.xhtml").paragraphs


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (b"%PDF-1.7 binary", "report.htm", "not an HTML document"),
        (b"PK\x03\x04garbage", "report.html", "not an HTML document"),
        (
            b"<html><body><div style='display:none'>secret</div></body></html>",
            "e.htm",
            "no readable text",
        ),
        (b"<html><body>   </body></html>", "blank.html", "no readable text"),
        (b"", "empty.htm", "empty"),
    ],
)
def test_bad_html_is_invalid_with_a_clear_message(data: bytes, name: str, says: str) -> None:
    with pytest.raises(InvalidDocument) as exc:
        read_document(data, name)
    assert says in exc.value.message


def test_raised_footnote_markers_are_not_figures_or_label_text() -> None:
    raised = 'style="font-size:6pt;position:relative;top:-3pt"'
    table = (
        "<div><span>Fair value (in millions)</span></div><table>"
        '<tr><td colspan="3"></td><td colspan="3">2024</td><td/><td colspan="3">2023</td></tr>'
        f'<tr><td colspan="3"><span>Derivatives</span><span {raised}>2</span></td>'
        f"<td>$</td><td>{fig('us-gaap:DerivativeAssets', 'i2024', '219')}</td>"
        f"<td><span {raised}>8</span></td><td/>"
        f"<td>$</td><td>{fig('us-gaap:DerivativeAssets', 'i2023', '180')}</td><td/><td/></tr>"
        "</table>"
    )
    doc = _doc(table)
    derivatives = doc.tables[0].rows[0]
    assert [c.text for c in derivatives.cells] == ["Derivatives", "$219", "$180"]
