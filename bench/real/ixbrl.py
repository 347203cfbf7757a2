"""The tagged figures of an inline-XBRL filing, where they sit, and which ones can be planted.

Planting needs to know, for each `ix:nonFraction`: its concept, context (period, dimensional or
not), unit (monetary or not), printed text and format, and the HTML table row it is printed in
(the row label, the primary statement of its table). This module reads that with lxml from the
XHTML source; it never edits anything (plant.py splices the source bytes).

Primary statements are recognised from the concepts a table holds, not its heading: a US GAAP
balance sheet is the first table tagging `Assets` (continued into the next tagged table when
that one holds `LiabilitiesAndStockholdersEquity`), and likewise for the other statements.
Only facts of a context without dimensions count: a statement's own columns, never the equity
components of a statement of changes in equity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from lxml import etree

IX = "http://www.xbrl.org/2013/inlineXBRL"
XBRLI = "http://www.xbrl.org/2003/instance"
XHTML = "http://www.w3.org/1999/xhtml"
NUMBER_FORMATS = frozenset({"num-dot-decimal", "numdotdecimal"})  # "1,234.5" as printed
INTEGER_TEXT = re.compile(r"^\d{1,3}(?:,\d{3})*$")
PLAIN_INTEGER_TEXT = re.compile(r"^\d+$")  # no format attribute: the XML Schema lexical form

# Statement -> (concepts that open it, concepts that close it when it spans two HTML tables)
_STATEMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "financial_position": (("Assets",), ("LiabilitiesAndStockholdersEquity",)),
    "profit_or_loss": (
        ("EarningsPerShareBasic", "EarningsPerShareDiluted", "EarningsPerShareBasicAndDiluted"),
        ("EarningsPerShareDiluted", "EarningsPerShareBasicAndDiluted"),
    ),
    "cash_flows": (
        (
            "NetCashProvidedByUsedInOperatingActivities",
            "NetCashProvidedByUsedInOperatingActivitiesContinuingOperations",
        ),
        (
            "NetCashProvidedByUsedInFinancingActivities",
            "NetCashProvidedByUsedInFinancingActivitiesContinuingOperations",
        ),
    ),
}
_MIN_STATEMENT_ROWS = 5  # a note repeating "Total assets" is not a balance sheet

# Rows that sum others: by concept, or by the words their label starts with.
TOTAL_CONCEPTS = frozenset(
    {
        "Assets",
        "AssetsCurrent",
        "AssetsNoncurrent",
        "Liabilities",
        "LiabilitiesCurrent",
        "LiabilitiesNoncurrent",
        "LiabilitiesAndStockholdersEquity",
        "StockholdersEquity",
        "StockholdersEquityIncludingPortionAttributableToNoncontrollingInterest",
        "GrossProfit",
        "CostsAndExpenses",
        "OperatingExpenses",
        "OperatingIncomeLoss",
        "NonoperatingIncomeExpense",
        "IncomeLossFromContinuingOperationsBeforeIncomeTaxesExtraordinaryItemsNoncontrollingInterest",
        "IncomeLossFromContinuingOperationsBeforeIncomeTaxesMinorityInterestAndIncomeLossFromEquityMethodInvestments",
        "IncomeLossFromContinuingOperations",
        "ProfitLoss",
        "NetIncomeLoss",
        "NetIncomeLossAvailableToCommonStockholdersBasic",
        "ComprehensiveIncomeNetOfTax",
        "NetCashProvidedByUsedInOperatingActivities",
        "NetCashProvidedByUsedInInvestingActivities",
        "NetCashProvidedByUsedInFinancingActivities",
        "CashCashEquivalentsRestrictedCashAndRestrictedCashEquivalentsPeriodIncreaseDecreaseIncludingExchangeRateEffect",
        "CashCashEquivalentsRestrictedCashAndRestrictedCashEquivalentsPeriodIncreaseDecreaseExcludingExchangeRateEffect",
        "CashAndCashEquivalentsPeriodIncreaseDecrease",
    }
)
_TOTAL_LABEL = re.compile(
    r"^(total\b|net cash\b|net (increase|decrease|change)\b|gross (profit|margin)\b|"
    r"operating (income|profit|loss)\b|income from operations\b|"
    r"(income|earnings|loss)\b.*\bbefore\b)",
    re.IGNORECASE,
)
# Opening and closing balances of a cash-flow statement: neither a line item nor a sum of rows.
_CASH_FLOW_STARTS = frozenset({"ProfitLoss", "NetIncomeLoss", "IncomeLossFromContinuingOperations"})
_CLOSING_LABEL = re.compile(r"\bend of (the )?(year|period)\b", re.IGNORECASE)
_BALANCE_LABEL = re.compile(r"\b(beginning|end) of (the )?(year|period)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Fact:
    """One printed, tagged figure and where it sits."""

    id: str  # the element's id attribute: unique in the file, how plant.py finds it
    order: int  # position among the file's ix:nonFraction elements
    concept: str  # qualified name, e.g. "us-gaap:Revenues"
    context: str
    period_end: date | None
    dimensional: bool
    monetary: bool
    text: str  # the element's printed text, e.g. "1,234"
    format: str  # local name of its format, e.g. "num-dot-decimal"
    scale: int
    negated: bool  # sign="-"
    table: int | None  # index of its HTML table among the tables holding tagged figures
    row_label: str  # text of the first label cell of its table row
    parens: str = "other"  # "adjacent": "(" and ")" printed right around it; "none"; "other"
    in_words: bool = False  # printed inside a cell of words ("liquidation preference of $141,920")
    statement: str | None = None  # primary statement of its table, when recognised
    role: str = "item"  # "item" | "total" | "balance" | "supplemental"

    @property
    def local_name(self) -> str:
        return self.concept.split(":", 1)[-1]

    @property
    def grouped(self) -> bool:
        """Printed with thousands separators (a num-dot-decimal format), else bare digits."""
        return self.format in NUMBER_FORMATS

    @property
    def is_integer(self) -> bool:
        """A whole number printed in a form plant.py can rewrite in the same form."""
        if self.grouped:
            return bool(INTEGER_TEXT.match(self.text))
        return self.format == "" and bool(PLAIN_INTEGER_TEXT.match(self.text))


def parse(data: bytes) -> etree._ElementTree:
    """The filing as XML (iXBRL is XHTML); leading blank lines before `<?xml` are tolerated."""
    parser = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)
    return etree.ElementTree(etree.fromstring(data.lstrip(), parser))


def facts(data: bytes) -> list[Fact]:
    """Every `ix:nonFraction` with an id outside the hidden header, in document order."""
    tree = parse(data)
    root = tree.getroot()
    periods, dimensional = _contexts(root)
    monetary = _monetary_units(root)
    tables: dict[etree._Element, int] = {}
    rows: list[tuple[etree._Element | None, Fact]] = []
    for order, el in enumerate(root.iter(f"{{{IX}}}nonFraction")):
        fact_id = el.get("id")
        if not fact_id or _hidden(el) or len(el):
            continue  # nested or hidden facts are not printed figures we can edit in place
        tr = _ancestor(el, "tr")
        table = _ancestor(tr, "table") if tr is not None else None
        if table is not None and table not in tables:
            tables[table] = len(tables)
        context = el.get("contextRef", "")
        rows.append(
            (
                tr,
                Fact(
                    id=fact_id,
                    order=order,
                    concept=el.get("name", ""),
                    context=context,
                    period_end=periods.get(context),
                    dimensional=context in dimensional,
                    monetary=el.get("unitRef", "") in monetary,
                    text=(el.text or "").strip(),
                    format=el.get("format", "").rsplit(":", 1)[-1],
                    scale=int(el.get("scale", "0") or 0),
                    negated=el.get("sign") == "-",
                    table=tables.get(table) if table is not None else None,
                    row_label=_row_label(tr) if tr is not None else "",
                    parens=_parens(el),
                    in_words=_in_words(el),
                ),
            )
        )
    return _classify([f for _, f in rows])


def _classify(found: list[Fact]) -> list[Fact]:
    """Name the primary statement of each table and the role of each row."""
    by_table: dict[int, set[str]] = {}
    rows_by_table: dict[int, set[str]] = {}
    for f in found:
        if f.table is None or f.dimensional:
            continue
        by_table.setdefault(f.table, set()).add(f.local_name)
        rows_by_table.setdefault(f.table, set()).add(f.row_label)
    statement_of: dict[int, str] = {}
    ordered = sorted(by_table)
    for statement, (opening, closing) in _STATEMENTS.items():
        for position, table in enumerate(ordered):
            if table in statement_of or not by_table[table] & set(opening):
                continue
            if len(rows_by_table[table]) < _MIN_STATEMENT_ROWS:
                continue
            statement_of[table] = statement
            following = ordered[position + 1] if position + 1 < len(ordered) else None
            if (
                not by_table[table] & set(closing)
                and following is not None
                and following not in statement_of
                and by_table[following] & set(closing)
            ):
                statement_of[following] = statement  # the statement goes on over a page break
            break
    out: list[Fact] = []
    closed: set[str] = set()  # statements whose closing balance has been printed
    for f in found:
        named = statement_of.get(f.table) if f.table is not None else None
        role = _role(f, named)
        if named in closed and role != "balance":
            role = "supplemental"  # "Interest paid" under the cash-flow statement sums nothing
        if role == "balance" and _CLOSING_LABEL.search(f.row_label) and named:
            closed.add(named)
        out.append(replace(f, statement=named, role=role))
    return out


def _role(f: Fact, statement: str | None) -> str:
    if statement == "cash_flows":
        if _BALANCE_LABEL.search(f.row_label):
            return "balance"
        if f.local_name in _CASH_FLOW_STARTS:
            return "item"  # the profit a cash-flow statement starts from is one of its lines
    if f.local_name in TOTAL_CONCEPTS or _TOTAL_LABEL.match(f.row_label):
        return "total"
    return "item"


def _in_words(el: etree._Element) -> bool:
    """The figure is part of a sentence or a row label, not a cell of figures of its own."""
    cell = _ancestor(el, "td")
    if cell is None:
        return True
    text = _SPACES.sub(" ", "".join(cell.itertext())).strip()
    return not _FIGURE.match(text)


def _parens(el: etree._Element) -> str:
    """How the figure's printed sign is shown: what a sign flip must add or remove."""
    previous = el.getprevious()
    before = (previous.tail if previous is not None else el.getparent().text) or ""
    if before.endswith("(") and (el.tail or "").startswith(")"):
        return "adjacent"
    cell = _ancestor(el, "td")
    if cell is None:
        return "other"
    near = [cell, cell.getprevious(), cell.getnext()]
    text = "".join("".join(c.itertext()) for c in near if c is not None)
    return "other" if "(" in text or ")" in text else "none"


def _contexts(root: etree._Element) -> tuple[dict[str, date | None], set[str]]:
    periods: dict[str, date | None] = {}
    dimensional: set[str] = set()
    for ctx in root.iter(f"{{{XBRLI}}}context"):
        ident = ctx.get("id", "")
        end = ctx.findtext(f".//{{{XBRLI}}}endDate") or ctx.findtext(f".//{{{XBRLI}}}instant")
        periods[ident] = _date(end)
        if (
            ctx.find(f".//{{{XBRLI}}}segment") is not None
            or ctx.find(f".//{{{XBRLI}}}scenario") is not None
        ):
            dimensional.add(ident)
    return periods, dimensional


def _monetary_units(root: etree._Element) -> set[str]:
    """Units whose only measure is a currency (iso4217:USD): not shares, not per-share."""
    out: set[str] = set()
    for unit in root.iter(f"{{{XBRLI}}}unit"):
        measures = [m.text or "" for m in unit.iter(f"{{{XBRLI}}}measure")]
        divides = unit.find(f"{{{XBRLI}}}divide") is not None
        if len(measures) == 1 and not divides and measures[0].strip().startswith("iso4217:"):
            out.add(unit.get("id", ""))
    return out


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        return None


def _hidden(el: etree._Element) -> bool:
    return any(a.tag == f"{{{IX}}}header" for a in el.iterancestors())


def _ancestor(el: etree._Element | None, local: str) -> etree._Element | None:
    if el is None:
        return None
    for a in el.iterancestors():
        if isinstance(a.tag, str) and etree.QName(a).localname == local:
            return a
    return None


_SPACES = re.compile(r"\s+")
_FIGURE = re.compile(r"^[\s$€£(),.\-–—%\d]*$")


def _row_label(tr: etree._Element) -> str:
    """The first cell of the row whose text is words, not a figure."""
    for cell in tr:
        if not isinstance(cell.tag, str) or etree.QName(cell).localname not in ("td", "th"):
            continue
        text = _SPACES.sub(" ", "".join(cell.itertext())).strip()
        if text and not _FIGURE.match(text):
            return text
    return ""
