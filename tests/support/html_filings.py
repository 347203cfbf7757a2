"""Small inline-XBRL filings built in the test (figures: Coca-Cola's 2024 10-K).

SEC-style XHTML the way filing tools lay statements out: "$" and ")" in cells of their own,
empty spacer columns, labels spanning grid columns, period headers over several rows, every
figure tagged with `ix:nonFraction`.
"""

from __future__ import annotations

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
