"""The HTML / inline-XBRL reader on small filings built here (figures: Coca-Cola's 2024 10-K).

The builders below make SEC-style XHTML the way filing tools lay statements out: "$" and ")"
in cells of their own, empty spacer columns, labels spanning grid columns, period headers over
several rows, every figure tagged with `ix:nonFraction`. Other test modules import them.
"""

from __future__ import annotations

import pytest

from server.errors import InvalidDocument
from server.ingest.document import ColumnRole, DocumentKind, StatementKind
from server.ingest.reader import check_upload, read_document

HEAD = """<?xml version='1.0' encoding='UTF-8'?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"
 xmlns:xbrli="http://www.xbrl.org/2003/instance" xmlns:xbrldi="http://xbrl.org/2006/xbrldi"
 xmlns:us-gaap="http://fasb.org/us-gaap/2024" xmlns:dei="http://xbrl.sec.gov/dei/2024"
 xmlns:ixt="http://www.xbrl.org/inlineXBRL/transformation/2020-02-12"
 xmlns:ixt-sec="http://www.sec.gov/inlineXBRL/transformation/2015-08-31"
 xmlns:iso4217="http://www.xbrl.org/2003/iso4217" xmlns:ko="http://example.com/ko">
<head><title>ko-20241231</title></head><body>
<div style="display:none"><ix:header><ix:hidden>
<ix:nonNumeric name="dei:DocumentType" contextRef="d2024">10-K</ix:nonNumeric>
<ix:nonNumeric name="dei:AmendmentFlag" contextRef="d2024" format="ixt:fixed-false">false</ix:nonNumeric>
<ix:nonNumeric name="dei:DocumentFiscalPeriodFocus" contextRef="d2024">FY</ix:nonNumeric>
<ix:nonFraction name="us-gaap:HiddenFigure" contextRef="d2024" unitRef="usd" decimals="-6" scale="6">999</ix:nonFraction>
</ix:hidden><ix:resources>
<xbrli:context id="d2024"><xbrli:entity><xbrli:identifier scheme="http://www.sec.gov/CIK">0000021344</xbrli:identifier></xbrli:entity><xbrli:period><xbrli:startDate>2024-01-01</xbrli:startDate><xbrli:endDate>2024-12-31</xbrli:endDate></xbrli:period></xbrli:context>
<xbrli:context id="d2023"><xbrli:entity><xbrli:identifier scheme="http://www.sec.gov/CIK">0000021344</xbrli:identifier></xbrli:entity><xbrli:period><xbrli:startDate>2023-01-01</xbrli:startDate><xbrli:endDate>2023-12-31</xbrli:endDate></xbrli:period></xbrli:context>
<xbrli:context id="i2024"><xbrli:entity><xbrli:identifier scheme="http://www.sec.gov/CIK">0000021344</xbrli:identifier></xbrli:entity><xbrli:period><xbrli:instant>2024-12-31</xbrli:instant></xbrli:period></xbrli:context>
<xbrli:context id="i2023"><xbrli:entity><xbrli:identifier scheme="http://www.sec.gov/CIK">0000021344</xbrli:identifier></xbrli:entity><xbrli:period><xbrli:instant>2023-12-31</xbrli:instant></xbrli:period></xbrli:context>
<xbrli:context id="i2024seg"><xbrli:entity><xbrli:identifier scheme="http://www.sec.gov/CIK">0000021344</xbrli:identifier><xbrli:segment><xbrldi:explicitMember dimension="us-gaap:StatementBusinessSegmentsAxis">ko:EuropeMember</xbrldi:explicitMember></xbrli:segment></xbrli:entity><xbrli:period><xbrli:instant>2024-12-31</xbrli:instant></xbrli:period></xbrli:context>
<xbrli:unit id="usd"><xbrli:measure>iso4217:USD</xbrli:measure></xbrli:unit>
<xbrli:unit id="usdPerShare"><xbrli:divide><xbrli:unitNumerator><xbrli:measure>iso4217:USD</xbrli:measure></xbrli:unitNumerator><xbrli:unitDenominator><xbrli:measure>xbrli:shares</xbrli:measure></xbrli:unitDenominator></xbrli:divide></xbrli:unit>
</ix:resources></ix:header></div>
"""
TAIL = "</body></html>"
BOLD = 'style="font-weight:700"'


def fig(
    concept: str,
    ctx: str,
    text: str,
    scale: int = 6,
    extra: str = "",
    fmt: str = "ixt:num-dot-decimal",
) -> str:
    """A tagged figure as Workiva writes it."""
    return (
        f'<ix:nonFraction unitRef="usd" contextRef="{ctx}" decimals="-{scale}" name="{concept}"'
        f' format="{fmt}" scale="{scale}"{extra}>{text}</ix:nonFraction>'
    )


def row(label: str, cells: list[tuple[str, str, str]], bold: bool = False) -> str:
    """A statement row: label over grid columns 0-2, then per period "$" | figure | ")" and
    an empty spacer; `cells` are (prefix, figure html, suffix)."""
    style = f" {BOLD}" if bold else ""
    html = f'<tr><td colspan="3"><span{style}>{label}</span></td>'
    for prefix, figure, suffix in cells:
        html += f'<td>{prefix}</td><td style="text-align:right">{figure}</td><td>{suffix}</td><td/>'
    return html + "</tr>"


def contents() -> str:
    return (
        '<div><span style="font-weight:700">TABLE OF CONTENTS</span></div>'
        "<table>"
        '<tr><td><a href="#bs">Consolidated Balance Sheets</a></td><td><a href="#bs">52</a></td></tr>'
        '<tr><td><a href="#is">Consolidated Statements of Income</a></td><td><a href="#is">50</a></td></tr>'
        '<tr><td><a href="#cf">Consolidated Statements of Cash Flows</a></td><td><a href="#cf">54</a></td></tr>'
        "</table>"
    )


def balance_sheet() -> str:
    return (
        f'<div id="bs"><span {BOLD}>THE COCA-COLA COMPANY AND SUBSIDIARIES</span></div>'
        f"<div><span {BOLD}>CONSOLIDATED BALANCE SHEETS</span></div>"
        "<table>"
        '<tr><td colspan="3"><span>(In millions)</span></td>'
        '<td colspan="7" style="text-align:center">December 31,</td></tr>'
        '<tr><td colspan="3"></td><td colspan="3" style="text-align:center">2024</td><td/>'
        '<td colspan="3" style="text-align:center">2023</td></tr>'
        '<tr><td colspan="10"><span>ASSETS</span></td></tr>'
        + row(
            "Cash and cash equivalents",
            [
                ("$", fig("us-gaap:CashAndCashEquivalentsAtCarryingValue", "i2024", "10,828"), ""),
                ("$", fig("us-gaap:CashAndCashEquivalentsAtCarryingValue", "i2023", "9,366"), ""),
            ],
        )
        + row(
            "Short-term investments",
            [
                ("", fig("us-gaap:ShortTermInvestments", "i2024", "2,020"), ""),
                ("", fig("us-gaap:ShortTermInvestments", "i2023", "2,997"), ""),
            ],
        )
        + row(
            "Total Cash, Cash Equivalents and Short-Term Investments",
            [
                ("", fig("ko:CashCashEquivalentsAndShortTermInvestments", "i2024", "12,848"), ""),
                ("", fig("ko:CashCashEquivalentsAndShortTermInvestments", "i2023", "12,363"), ""),
            ],
            bold=True,
        )
        + row(
            "Treasury stock, at cost",
            [
                ("(", fig("us-gaap:TreasuryStockValue", "i2024", "55,916"), ")"),
                ("$(", fig("us-gaap:TreasuryStockValue", "i2023", "54,535"), ")"),
            ],
        )
        + row(
            "Europe segment assets",
            [
                ("", fig("us-gaap:Assets", "i2024seg", "no", fmt="ixt-sec:numwordsen"), ""),
                ("", fig("us-gaap:Assets", "i2023", "—", fmt="ixt:fixed-zero"), ""),
            ],
        )
        + "</table>"
    )


def income_statement() -> str:
    """Three years under "Year Ended December 31," and a net loss tagged sign="-"."""
    years = "".join(
        f'<td colspan="3" style="text-align:center">{y}</td><td/>' for y in (2024, 2023, 2022)
    )
    loss = ' sign="-"'
    return (
        f'<div id="is"><span {BOLD}>CONSOLIDATED STATEMENTS OF INCOME</span></div>'
        "<table>"
        '<tr><td colspan="3">(In millions except per share data)</td>'
        '<td colspan="12" style="text-align:center">Year Ended December 31,</td></tr>'
        f'<tr><td colspan="3"></td>{years}</tr>'
        + row(
            "Net Operating Revenues",
            [
                ("$", fig("us-gaap:Revenues", "d2024", "47,061"), ""),
                ("$", fig("us-gaap:Revenues", "d2023", "45,754"), ""),
                ("$", fig("us-gaap:Revenues", "d2023", "43,004"), ""),
            ],
        )
        + row(
            "Other income (loss) — net",
            [
                ("", fig("us-gaap:OtherNonoperatingIncomeExpense", "d2024", "1,992"), ""),
                ("", fig("us-gaap:OtherNonoperatingIncomeExpense", "d2023", "570"), ""),
                (
                    "(",
                    fig("us-gaap:OtherNonoperatingIncomeExpense", "d2023", "262", extra=loss),
                    ")",
                ),
            ],
        )
        + "</table>"
    )


def filing(*parts: str, head: str = HEAD) -> bytes:
    body = "".join(parts)
    cover = (
        '<div><span>Exact name: <ix:nonNumeric name="dei:EntityRegistrantName" contextRef="d2024">'
        "COCA COLA CO</ix:nonNumeric></span></div>"
        '<div><span>For the fiscal year ended <ix:nonNumeric name="dei:DocumentPeriodEndDate" '
        'contextRef="d2024" format="ixt:date-monthname-day-year-en">December 31, 2024'
        "</ix:nonNumeric></span></div>"
    )
    return (head + cover + body + TAIL).encode("utf-8")


def page_break(number: int) -> str:
    return (
        f'<div style="text-align:center"><span>{number}</span></div>'
        '<hr style="page-break-after:always"/>'
        '<div><a href="#toc"><span>Table of Contents</span></a></div>'
    )


# ----------------------------------------------------------------------------------- tests


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
