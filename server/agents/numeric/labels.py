"""Which line is which: normalised labels, a synonym table, and the concepts ties rely on.

Ties across tables are only as good as the line matching, so matching is deliberately narrow:
exact normalised labels or listed synonyms, never fuzzy similarity. A line that matches no
concept is simply not tied (precision first).
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache

from server.ingest.document import ColumnRole, StatementKind, Table
from server.text.dates import MONTH_PATTERN as _MONTHS
from server.text.dates import strip_dates, years_in
from server.text.labels import normalise_label

_PAREN_UNIT = re.compile(r"\s*\((?:[^()]*'000|[^()]*000s?|[a-z$€£₵₸₽]{1,4}|restated|note \d+)\)$")
_INCREASE = re.compile(r"\b(increase|decrease)\s*/\s*\(?(increase|decrease)\)?")


LABEL_CACHE = 1 << 16  # labels repeat across tables and checks: normalise each once


class Concept(StrEnum):
    TOTAL_ASSETS = "total assets"
    TOTAL_EQUITY_AND_LIABILITIES = "total equity and liabilities"
    TOTAL_EQUITY = "total equity"
    TOTAL_LIABILITIES = "total liabilities"
    CURRENT_ASSETS = "total current assets"
    NON_CURRENT_ASSETS = "total non-current assets"
    CURRENT_LIABILITIES = "total current liabilities"
    NON_CURRENT_LIABILITIES = "total non-current liabilities"
    REVENUE = "revenue"
    PROFIT_BEFORE_TAX = "profit before tax"
    PROFIT_FOR_YEAR = "profit for the year"
    OCI = "other comprehensive income"
    TCI = "total comprehensive income"
    NET_OPERATING = "net cash from operating activities"
    NET_INVESTING = "net cash from investing activities"
    NET_FINANCING = "net cash from financing activities"
    NET_CHANGE_IN_CASH = "net change in cash and cash equivalents"
    FX_ON_CASH = "effect of exchange rates on cash"
    CASH = "cash and cash equivalents"
    CASH_OPENING = "cash and cash equivalents at the beginning of the year"
    CASH_CLOSING = "cash and cash equivalents at the end of the year"


_CONCEPTS: list[tuple[Concept, re.Pattern[str]]] = [
    (Concept.TOTAL_ASSETS, re.compile(r"^total assets$")),
    (
        Concept.TOTAL_EQUITY_AND_LIABILITIES,
        re.compile(r"^total (equity and liabilities|liabilities and (shareholders' )?equity)$"),
    ),
    (Concept.TOTAL_EQUITY, re.compile(r"^total (shareholders' )?equity$")),
    (Concept.TOTAL_LIABILITIES, re.compile(r"^total liabilities$")),
    (Concept.CURRENT_ASSETS, re.compile(r"^total current assets$")),
    (Concept.NON_CURRENT_ASSETS, re.compile(r"^total non-current assets$")),
    (Concept.CURRENT_LIABILITIES, re.compile(r"^total current liabilities$")),
    (Concept.NON_CURRENT_LIABILITIES, re.compile(r"^total non-current liabilities$")),
    (
        Concept.REVENUE,
        re.compile(
            r"^(total )?(revenue|revenues|turnover|net sales|revenue from contracts with customers)$"
        ),
    ),
    (
        Concept.PROFIT_BEFORE_TAX,
        re.compile(r"^(profit|loss|net profit|result|earnings) before (income )?tax(ation)?$"),
    ),
    (
        Concept.PROFIT_FOR_YEAR,
        re.compile(
            r"^(net (profit|loss|income|earnings)|profit|loss"
            r"|(net )?(profit|loss|income|earnings|result)( after (income )?tax(ation)?)?"
            r" for the (financial )?(year|period)"
            r"|(profit|loss) after (income )?tax(ation)?)$"
        ),
    ),
    (
        Concept.OCI,
        re.compile(
            r"^(total )?other comprehensive (income|loss)( for the (year|period))?"
            r"(,? net of (income )?tax)?$"
        ),
    ),
    (
        Concept.TCI,
        re.compile(
            r"^total comprehensive (income|loss)( for the (year|period))?(,? net of (income )?tax)?$"
        ),
    ),
    (Concept.NET_OPERATING, re.compile(r"^net cash\b.*\boperating activities$")),
    (Concept.NET_INVESTING, re.compile(r"^net cash\b.*\binvesting activities$")),
    (Concept.NET_FINANCING, re.compile(r"^net cash\b.*\bfinancing activities$")),
    (
        Concept.NET_CHANGE_IN_CASH,
        re.compile(r"^(net )?(increase|decrease|change) in cash( and cash equivalents)?$"),
    ),
    (
        Concept.FX_ON_CASH,
        re.compile(r"^(the )?effects? of .*exchange rate.*\bcash\b.*$|^.*exchange .*on cash.*$"),
    ),
    (
        Concept.CASH,
        re.compile(
            r"^(cash and cash equivalents|cash and bank balances|cash at bank and in hand)$"
        ),
    ),
]


@lru_cache(maxsize=LABEL_CACHE)
def clean(label: str) -> str:
    """A label for matching: normalised, "increase/(decrease)" folded, unit notes dropped."""
    s = normalise_label(label)
    s = _INCREASE.sub(lambda m: m.group(1), s)
    s = s.replace("non current", "non-current")
    s = _PAREN_UNIT.sub("", s)
    return s.strip()


@lru_cache(maxsize=LABEL_CACHE)
def undated(label: str) -> str:
    """The label without dates and years: "balance at 31 december 2024" -> "balance at"."""
    return strip_dates(clean(label))


@lru_cache(maxsize=LABEL_CACHE)
def concept_of(label: str) -> Concept | None:
    s = clean(label)
    for concept, pattern in _CONCEPTS:
        if pattern.match(s):
            return concept
    return None


_OPENING = re.compile(
    rf"\b(at|as at|on) (1 ({_MONTHS})|({_MONTHS}) 1\b)|\b(beginning|start) of (the )?(year|period)\b|"
    r"^(opening|balance brought forward|brought forward)\b"
)
_CLOSING = re.compile(
    rf"\b(at|as at|on) (3[01]|2[89]) ({_MONTHS})|\b(end|close) of (the )?(year|period)\b|"
    r"^(closing|carried forward|balance carried forward)\b"
)
_BALANCE_WORDS = re.compile(
    r"^(balance|balances|at|as at|on|cash and cash equivalents|cash|cost|carrying amount|"
    r"net book value|accumulated depreciation|amortisation|provision|provisions|opening|closing)\b"
)


@lru_cache(maxsize=LABEL_CACHE)
def is_opening(label: str) -> bool:
    s = clean(label)
    return bool(_OPENING.search(s)) and not _CLOSING.search(s)


@lru_cache(maxsize=LABEL_CACHE)
def is_closing(label: str) -> bool:
    s = clean(label)
    return bool(_CLOSING.search(s)) and not _OPENING.search(s)


@lru_cache(maxsize=LABEL_CACHE)
def balance_stem(label: str) -> str:
    """What a balance row is a balance of: "cash and cash equivalents at 1 january" -> "cash
    and cash equivalents"; "balance at 31 december 2024" -> "balance"."""
    s = undated(label)
    s = re.sub(
        r"\b(at|as at|on)( the)?( (beginning|start|end|close) of (the )?(year|period))?$", "", s
    )
    s = re.sub(r"^(opening|closing)\s+", "", s)
    return s.strip(" ,") or "balance"


@lru_cache(maxsize=LABEL_CACHE)
def label_year(label: str) -> int | None:
    years = years_in(label)
    return years[0] if len(years) == 1 else None


def is_changes_in_equity(table: Table) -> bool:
    """A statement of changes in equity, by kind or by shape (component columns, balance rows)."""
    if table.statement is StatementKind.CHANGES_IN_EQUITY:
        return True
    headers = " ".join(clean(c.header) for c in table.columns if c.role is ColumnRole.AMOUNT)
    if not re.search(
        r"retained earnings|total equity|share capital|stated capital|reserve", headers
    ):
        return False
    return any(is_opening(r.label) or is_closing(r.label) for r in table.rows)


@lru_cache(maxsize=LABEL_CACHE)
def equity_header(header: str) -> str:
    """A changes-in-equity column header as a balance-sheet label ("Stated capital Year ended 31
    December 2024" -> "stated capital")."""
    s = clean(header)
    s = re.sub(r"\b(year|period) ended\b.*$", "", s)
    return strip_dates(s)
