"""Which primary statement a table is: from its title, and above all from what it contains.

A title names a statement only when it is a title: a short line whose statement name may be
preceded by the entity's name or qualifiers ("Consolidated", "Condensed") and followed by a
period, the entity or "(continued)", never by a noun that makes it something else ("Balance
Sheet Data", "Statement of Earnings Location", "Income Statement Information"), never as a
contents entry with its page number ("Statement of Cash Flows 4").

The lines of a table say more than any caption near it. A cash-flow statement has operating,
investing and financing sections; a balance sheet total assets and total liabilities or
equity; an income statement revenue and profit; a statement of comprehensive income other
comprehensive income and its total; a statement of changes in equity opening and closing
balances over equity components (as columns, or as blocks of rows in the US vertical layout).
Tables that share those lines but are not statements say so too: MD&A analyses carry "%" or
"change" columns and non-GAAP words, guarantor and condensed consolidating summaries have a
column per entity and eliminations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from server.ingest.document import StatementKind
from server.text.dates import MONTH_PATTERN

# ---------------------------------------------------------------------------------- titles

_OWNERS = r"(?:stockholders|shareholders|shareowners|share\s*owners|members|owners|partners)['’]?"
_EQUITY_TITLE = re.compile(
    r"(?i)\bstatements?\s+of\s+changes\s+in\s+(?:\w+['’]?\s+)?(?:equity|net\s+assets|deficit)"
    rf"|\bstatements?\s+of\s+(?:changes\s+in\s+)?(?:{_OWNERS}\s+)?(?:equity|deficit|capital)\b"
    rf"|\bstatements?\s+of\s+(?:[\w,'’-]+\s+){{1,8}}?{_OWNERS}\s+(?:equity|deficit)\b"
    rf"|\b(?:{_OWNERS}\s+)?equity\s+statements?\b|\bchanges\s+in\s+equity\s+statements?\b"
)
_CASH_TITLE = re.compile(
    r"(?i)\bstatements?\s+of\s+cash\s*flows?\b|\bcash\s*flows?\s+statements?\b"
)
_POSITION_TITLE = re.compile(
    r"(?i)\bstatements?\s+of\s+financial\s+(?:position|condition)\b|\bbalance\s+sheets?\b"
    r"|\bstatements?\s+of\s+(?:assets\s+and\s+liabilities|net\s+assets)\b"
)
_OCI_TITLE = re.compile(
    r"(?i)\bstatements?\s+of\s+(?:other\s+)?comprehensive\s+(?:income|loss|earnings)\b"
    r"|\bcomprehensive\s+(?:income|loss|earnings)\s+statements?\b"
)
_PROFIT_TITLE = re.compile(
    r"(?i)\bstatements?\s+of\s+(?:profit\s+(?:or|and)\s+loss|operations|(?:net\s+)?income"
    r"|(?:net\s+)?earnings|(?:net\s+)?loss)\b"
    r"|\bincome\s+statements?\b|\bprofit\s+and\s+loss\s+(?:account|statement)s?\b"
)
_TITLES: list[tuple[StatementKind, re.Pattern[str]]] = [
    (StatementKind.CHANGES_IN_EQUITY, _EQUITY_TITLE),
    (StatementKind.CASH_FLOWS, _CASH_TITLE),
    (StatementKind.FINANCIAL_POSITION, _POSITION_TITLE),
    (StatementKind.COMPREHENSIVE_INCOME, _OCI_TITLE),
    (StatementKind.PROFIT_OR_LOSS, _PROFIT_TITLE),
]
# Nouns after a statement's name that make the line a caption of something else ("Balance
# Sheet Data", "Statement of Earnings Location"), and verbs that make it a sentence.
_NOT_A_TITLE_AFTER = re.compile(
    r"(?i)^[\s:–—-]{0,3}(?:information|location|classification|data|items?|line|captions?"
    r"|presentation|impacts?|effects?|amounts|categor(?:y|ies)|highlights|summary|disclosures?"
    r"|accounts?|reconciliations?|hedges?|exposures?|metrics|measures|components|details?"
    r"|purposes|approach|method|perspective|date)\b"
    r"|^\s+(?:is|are|was|were|has|have|includes?|included|shows?|reflects?|presents?|as\s+follows)\b"
)
# Words before it that make the table a summary or an analysis, not the statement.
_NOT_A_TITLE_BEFORE = re.compile(
    r"(?i)\b(?:summari[sz]ed|summary|supplementa(?:l|ry)|selected|key|pro\s+forma|consolidating"
    r"|guarantors?|obligors?|certain|additional|quarterly|segment|analysis|discussion|review"
    r"|notes?|comparison|changes?\s+to)\b"
)
_LEAD_WORDS = re.compile(
    r"(?i)^(?:the|of|and|&|consolidated|separate|combined|company|group|parent|interim|condensed"
    r"|unaudited|audited|\d{4}|[-–—:|,])$"
)
# "Statement of Cash Flows 4", "Balance sheet ........ 12": a contents entry, not a title.
_PAGE_NUMBER_AT_END = re.compile(r"(?:\s|\.{2,}|…)\s*(?:[A-Z]-?)?\d{1,3}$")


# What a statement is called when no line near its table names it.
STATEMENT_NAMES = {
    StatementKind.FINANCIAL_POSITION: "Statement of financial position",
    StatementKind.PROFIT_OR_LOSS: "Statement of profit or loss",
    StatementKind.COMPREHENSIVE_INCOME: "Statement of comprehensive income",
    StatementKind.CHANGES_IN_EQUITY: "Statement of changes in equity",
    StatementKind.CASH_FLOWS: "Statement of cash flows",
}


def _matches(text: str) -> list[tuple[StatementKind, re.Match[str]]]:
    found = [(kind, m) for kind, pattern in _TITLES for m in pattern.finditer(text)]
    oci = [m for kind, m in found if kind is StatementKind.COMPREHENSIVE_INCOME]
    # "Comprehensive income statements" holds "income statements": one title, not two.
    return [
        (kind, m)
        for kind, m in found
        if kind is not StatementKind.PROFIT_OR_LOSS
        or not any(o.start() <= m.start() < o.end() for o in oci)
    ]


def statement_from_title(text: str) -> StatementKind | None:
    """The statement a title names. A combined statement ("of profit or loss and other
    comprehensive income", "of operations and comprehensive loss") is profit or loss: that is
    where the revenue-to-profit lines are that the other checks look for."""
    if not text or len(text) > 250:
        return None
    kinds = {kind for kind, _ in _matches(text)}
    for kind in (
        StatementKind.CHANGES_IN_EQUITY,
        StatementKind.CASH_FLOWS,
        StatementKind.FINANCIAL_POSITION,
        StatementKind.PROFIT_OR_LOSS,
        StatementKind.COMPREHENSIVE_INCOME,
    ):
        if kind in kinds:
            return kind
    return None


def looks_like_statement_title(text: str) -> bool:
    """A short line that is a statement's title, not a sentence or caption that mentions one.

    Only an entity name ("Fan Milk PLC", capitalised words) or qualifiers ("Consolidated") may
    come before the statement's name, and only a period, the entity or a "(continued)" after.
    "Expenses are presented in the statement of profit or loss" is a sentence, "Key Balance
    Sheet Data" an analysis, "Statement of Cash Flows 4" a contents entry.
    """
    text = re.sub(r"\s+", " ", text or "").strip()
    if not text or len(text) > 160 or text.endswith((".", ";", ",", ":")):
        return False
    if len(text.split()) > 18 or statement_from_title(text) is None:
        return False
    if is_contents_entry(text) or is_signature_line(text):
        return False
    found = _matches(text)
    first = min(m.start() for _, m in found)
    end = max(m.end() for _, m in found if m.start() == first)
    lead = text[:first]
    if _NOT_A_TITLE_BEFORE.search(lead) or _NOT_A_TITLE_AFTER.match(text[end:]):
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or _LEAD_WORDS.match(w) for w in lead.split())


_DATE_BEFORE = re.compile(rf"(?i)\b(?:{MONTH_PATTERN})\.?$")


def is_contents_entry(text: str) -> bool:
    """A line of a contents list: a title followed by its page number and no other figure."""
    text = text.strip()
    m = _PAGE_NUMBER_AT_END.search(text)
    if not m:
        return False
    before = text[: m.start()].strip(" .…")
    if _DATE_BEFORE.search(before):
        return False  # "Balance Sheets as of December 31": a day, not a page
    return len(before.split()) >= 2 and not re.search(r"\d", before)


_SIGNATURE = re.compile(
    r"(?i)(?:^|\s)/s/|\bchief\s+(?:executive|financial|accounting|operating)\s+officer\b"
    r"|\b(?:executive\s+)?vice\s+president\b|\bchair(?:man|woman|person)?\s+of\s+the\s+board\b"
    r"|\b(?:principal|chief)\s+(?:executive|financial|accounting)\b|\bcontroller\b"
    r"|\bcompany\s+secretary\b|\bsigned\s+(?:on\s+behalf|by)\b"
    r"|^(?:date|dated|name|title|by)\s*:"
)


_NOT_A_SIGNATURE = re.compile(
    r"(?i)['’]s?\s|['’]s$|\b(?:review|report|statement|letter|message|remuneration|responsibilit)"
)
# "J. Smith Director", "Non-Executive Director"; never "Report of the Directors".
_DIRECTOR = re.compile(r"^(?:[A-Z][\w.'’-]*\s+){0,4}[Dd]irectors?$")


def is_signature_line(text: str) -> bool:
    """A line of a signature block ("Chief Executive Officer Chief Financial Officer", "/s/ J.
    Smith"): never a heading or a caption."""
    text = (text or "").strip()
    if _NOT_A_SIGNATURE.search(text):
        return False  # "Chief Executive Officer's review", "Report of the Directors"
    return bool(_SIGNATURE.search(text) or _DIRECTOR.match(text))


# ---------------------------------------------------------------------------- what it holds


def _tidy(labels: Sequence[str]) -> list[str]:
    return [re.sub(r"\s+", " ", x).strip() for x in labels if x and x.strip()]


def _count(labels: list[str], pattern: str) -> int:
    rx = re.compile(pattern, re.I)
    return sum(1 for label in labels if rx.search(label))


def _has(labels: list[str], pattern: str) -> bool:
    return _count(labels, pattern) > 0


_CASH_SECTION = {
    name: (
        rf"\b{words}\s+activities\b"
        rf"|^net\s+cash\b.{{0,40}}\b{words}\b"
        rf"|^cash\s+flows?\s+(?:from|used\s+in|\(used\s+in\)|provided\s+by).{{0,20}}\b{words}\b"
        rf"|^{words}(?:\s+activities)?:?$"
    )
    for name, words in (
        ("operating", r"(?:operating|operations)"),
        ("investing", r"investing"),
        ("financing", r"financing"),
    )
}
_CASH_ENDS = (
    r"^cash(?:,|\s+and)\s+.{0,60}\b(?:beginning|end)\s+of\s+(?:the\s+)?(?:year|period)"
    r"|^(?:net\s+)?(?:increase|decrease|change).{0,40}\bcash\b"
)
_CASH_OPENING = (
    r"^cash\s+flows?\s+(?:from|used\s+in|\(used\s+in\)|provided\s+by)\s+(?:\(used\s+in\)\s+)?"
    r"operating\s+activities"
)
_BALANCE_ROW = (
    r"^balances?\b.{0,25}(?:\b(?:at|as\s+(?:at|of)|on)\b|,|\d{4}|beginning|end\s+of)"
    r"|^(?:at|as\s+(?:at|of))\s+(?:\d{1,2}\s+\w+|\w+\s+\d{1,2}),?\s+\d{4}$"
    r"|^(?:opening|closing)\s+balance"
)
_OPENING_ROW = (
    r"^(?:balances?,?\s+(?:at\s+|as\s+of\s+)?)?beginning\s+of\s+(?:the\s+)?(?:year|period)"
)
_CLOSING_ROW = r"^(?:balances?,?\s+(?:at\s+|as\s+of\s+)?)?end\s+of\s+(?:the\s+)?(?:year|period)"
_EQUITY_COMPONENT = (
    r"(?:share|stated|issued|ordinary|paid-in|contributed)\s+capital|common\s+(?:stock|shares)"
    r"|preferred\s+(?:stock|shares)|retained|reserves?\b|premium|treasury|non-?\s?controlling"
    r"|accumulated\s+(?:other|deficit)|paid-in|capital\s+in\s+excess|total\s+equity"
    r"|(?:stockholders|shareholders|shareowners)['’]?\s+(?:equity|deficit)|\bequity\b"
)
_EQUITY_MOVEMENT = (
    r"dividends?|net\s+(?:income|earnings|loss|profit)|profit\s+for\s+the|comprehensive"
    r"|repurchase|buy-?back|stock-based|share-based|issu(?:ed|ance)|treasury"
)
_ASSETS = r"^total\s+assets$|^assets:?$|^total\s+current\s+assets$"
_CLAIMS = (
    r"^(?:total\s+)?(?:equity\s+and\s+liabilities|liabilities\s+and\s+(?:\w+['’]?\s+)?"
    r"(?:equity|deficit|capital))\b|^total\s+liabilities\b|^total\s+(?:\w+['’]?\s+)?equity\b"
    r"|^total\s+(?:stockholders|shareholders|shareowners)['’]?\s+(?:equity|deficit)"
)
_REVENUE = (
    r"^(?:total\s+)?(?:net\s+)?(?:operating\s+)?(?:revenues?|sales|turnover)\b"
    r"|^sales\s+to\s+customers|^(?:net\s+)?interest\s+(?:and\s+similar\s+)?income\b"
)
_PROFIT = (
    r"(?:profit|loss|income|earnings)(?:/\(loss\))?\s+(?:\(loss\)\s+)?(?:for\s+the\s+(?:year|period)"
    r"|before\s+(?:provision\s+for\s+)?(?:income\s+)?tax)|^net\s+(?:income|profit|loss|earnings)\b"
    r"|income\s+tax\s+expense|^(?:provision\s+for|benefit\s+from)\s+income\s+taxes"
    r"|(?:earnings|income|loss)\s+per\s+(?:common\s+)?share|^(?:basic|diluted)\b"
)
_OCI = r"other\s+comprehensive\s+(?:income|loss|earnings)"
_TOTAL_CI = r"(?:total\s+)?comprehensive\s+(?:income|loss|earnings)(?!\s+\(loss\)\s+per)"


def statement_from_rows(labels: Sequence[str], headers: Sequence[str]) -> StatementKind | None:
    """The statement a table's own lines make it, whatever caption sits near it."""
    tidy = _tidy(labels)
    if len(tidy) < 3:
        return None
    sections = sum(_has(tidy, p) for p in _CASH_SECTION.values())
    opens = _has(tidy[:3], _CASH_OPENING)  # a statement's first part, split where a page broke
    if sections >= 2 or opens or (sections and _has(tidy, _CASH_ENDS) and len(tidy) >= 8):
        return StatementKind.CASH_FLOWS
    if _changes_in_equity(tidy, headers):
        return StatementKind.CHANGES_IN_EQUITY
    if _has(tidy, _ASSETS) and _has(tidy, _CLAIMS):
        return StatementKind.FINANCIAL_POSITION
    # The UK format: net current assets, net assets, and equity ("shareholders' funds").
    if _has(tidy, r"^net\s+assets$") and _has(
        tidy, r"^total\s+equity$|^(?:total\s+)?(?:shareholders|members)['’]?\s+funds$"
    ):
        return StatementKind.FINANCIAL_POSITION
    if _has(tidy, _REVENUE) and _has(tidy, _PROFIT):
        return StatementKind.PROFIT_OR_LOSS
    if (
        _has(tidy, _OCI)
        and _count(tidy, _TOTAL_CI) > _count(tidy, _OCI) - 1
        and _has(tidy, r"^(?:total\s+)?comprehensive\s+(?:income|loss|earnings)|^total\s+")
    ):
        return StatementKind.COMPREHENSIVE_INCOME
    return None


def _changes_in_equity(labels: list[str], headers: Sequence[str]) -> bool:
    """Opening and closing balances of equity components: components as columns (IFRS, most
    US filers), or blocks of rows per component between "beginning" and "end of year" (the US
    vertical layout), or balance rows and equity movements when the header was lost."""
    components = sum(bool(re.search(_EQUITY_COMPONENT, h, re.I)) for h in headers)
    balances = _count(labels, _BALANCE_ROW)
    if components >= 2 and balances:
        return True
    opening, closing = _count(labels, _OPENING_ROW), _count(labels, _CLOSING_ROW)
    component_rows = _count(labels, rf"^(?:{_EQUITY_COMPONENT})")
    if opening >= 2 and closing >= 2 and component_rows >= 2:
        return True
    dated_balances = _count(labels, r"^balances?\b.{0,25}\d{4}")
    return dated_balances >= 2 and _count(labels, _EQUITY_MOVEMENT) >= 2


def has_revenue_lines(labels: Sequence[str]) -> bool:
    return _has(
        _tidy(labels), r"^(?:revenue|revenues|sales|net\s+sales|turnover|cost\s+of\s+sales)\b"
    )


# ------------------------------------------------------------------------ not a statement

_ANALYSIS_HEADER = re.compile(
    r"(?i)%|\bper\s*cent|\bpercent|\bchange\b|\bvariance\b|\bgrowth\b|\bincrease\b|\bdecrease\b"
    r"|\bfavou?rable\b|\bmix\b|\bbps\b|\bbasis\s+points?\b|\bnon-?gaap\b|\badjusted\b|\borganic\b"
)
_NON_GAAP = re.compile(
    r"(?i)\bnon-?gaap\b|\badjusted\s+(?:ebitda|ebit|earnings|net\s+income|operating|diluted|eps)"
    r"|\bebitda\b|\borganic\b|\bconstant\s+currency\b|\bfree\s+cash\s+flow\b|\boperational\s+growth\b"
)
_ENTITY_COLUMN = re.compile(
    r"(?i)\bguarantors?\b|\bnon-?\s?guarantors?\b|\bobligor|\bissuer\b|\bparent\b|\bsubsidiar(?:y|ies)\b"
    r"|\beliminations?\b|\bconsolidating\b|\bconsolidated\s+total\b|\breportable\s+segments?\b"
)
_SUMMARY_CAPTION = re.compile(
    r"(?i)\bsummari[sz]ed\b|\bcondensed\s+consolidating\b|\bguarantors?\b|\bobligor\s+group\b"
    r"|\bselected\s+(?:financial|consolidated)\b|\bkey\s+(?:balance|financial|indicators)\b"
    r"|\bpro\s+forma\b|\bnon-?gaap\b"
)


def analysis_not_statement(
    headers: Sequence[str], labels: Sequence[str], captions: Sequence[str], percent_columns: int
) -> bool:
    """A table that shares a statement's lines but is an analysis or a summary: MD&A tables
    with "%" or "change" columns and non-GAAP measures, guarantor and condensed consolidating
    summaries with a column per entity, "summarized" or "selected" data."""
    if percent_columns:
        return True
    if any(_ANALYSIS_HEADER.search(h) for h in headers if h):
        return True
    if sum(1 for h in headers if h and _ENTITY_COLUMN.search(h)) >= 2 or any(
        re.search(r"(?i)\beliminations?\b|\bguarantor", h) for h in headers if h
    ):
        return True
    if any(_NON_GAAP.search(x) for x in labels if x):
        return True
    return any(_SUMMARY_CAPTION.search(c) for c in captions if c)
