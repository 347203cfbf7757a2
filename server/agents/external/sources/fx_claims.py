"""Exchange rates a report states, read from sentences and from exchange-rate tables.

A claim says "1 unit of `base` was worth `value` units of `quote`" at a date (closing rate) or
over the year ending at that date (average rate). Sentences are read in the forms reports use:
"USD 1 = KZT 525.11", "1 USD = 525.11 KZT", "525.11 tenge per US dollar", "EUR/USD 1.0389".
Tables are read when their title or headers speak of exchange rates and their rows are named
by currency; which way a table quotes (tenge per dollar or dollars per euro) is not always
printed, so `direct_known` is false for table claims and the checker accepts either reading.

A rate with no date of its own takes the reporting date only when the sentence says it is the
closing or year-end rate; otherwise it is not a claim we can date, and is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from generated.models import CellRef, Location
from server.agents.external.sources.base import parse_iso_date
from server.agents.external.sources.currencies import currency_pattern, to_code
from server.agents.external.sources.segments import segments
from server.ingest.document import ColumnRole, Document, Table
from server.text.dates import find_dates, years_in
from server.text.sentences import sentences

_NUMBER = r"(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_DATE = r"\d{1,2}\s+[A-Za-z]+\s+\d{4}"
_PER = r"(?:per|for each|to the|to one|to 1)"
# "per" and "EUR/USD" forms need a rate printed as rates are (two decimals or more), so "EUR 5
# per share" or "the EUR/USD movement cut revenue by 3" are not read as rates.
_DECIMAL = r"(?P<n>\d+\.\d{2,})"
_RATE_WORDS = re.compile(r"exchange rate|rates? of exchange|currency rates?|fx rates?", re.I)
# Tables of exposures by currency sit under "exchange rate risk" headings too; they are not rates.
_NOT_RATES = re.compile(r"risk|exposure|sensitiv|denominated|balances|carrying", re.I)
_AVERAGE = re.compile(r"\baverage\b", re.I)
_CLOSING = re.compile(
    r"\b(?:closing|year[- ]end|spot|reporting date|end of the (?:year|period))\b", re.I
)


@dataclass(frozen=True, slots=True)
class RateClaim:
    base: str  # ISO code of the currency worth `value` units of `quote`
    quote: str
    value: float
    on: date  # closing date, or the end of the averaging period
    average: bool
    text: str  # as printed
    location: Location
    direct_known: bool = True  # False when the table does not say which way it quotes
    group: str = ""  # claims printed together (one table column) share a group

    @property
    def kind(self) -> str:
        return "average" if self.average else "closing"


def _patterns() -> list[re.Pattern[str]]:
    """The sentence forms, each with named groups b (base), q (quote) and n (the rate)."""
    c = currency_pattern()
    one = r"(?:1|one)(?:\.0+)?"
    forms = [
        rf"(?P<b>{c})\s*{one}\s*[=:]\s*(?P<q>{c})\s*{_NUMBER}",
        rf"{one}\s*(?P<b>{c})\s*[=:]\s*{_NUMBER}\s*(?P<q>{c})",
        rf"(?P<q>{c})\s*{_DECIMAL}\s*{_PER}\s+(?:1\s+)?(?P<b>{c})",
        rf"{_DECIMAL}\s*(?P<q>{c})\s*{_PER}\s+(?:1\s+)?(?P<b>{c})",
        rf"(?P<b>{c})\s*/\s*(?P<q>{c})[^\d()]{{0,40}}(?:{_DATE}[^\d()]{{0,20}})?{_DECIMAL}",
    ]
    return [re.compile(form) for form in forms]


def rate_claims(document: Document) -> list[RateClaim]:
    """Every exchange rate the report states that can be dated."""
    reporting = parse_iso_date(document.reporting_date)
    claims: list[RateClaim] = []
    patterns = _patterns()
    for segment in segments(document):
        if segment.paragraph is None:
            continue
        for sentence in (s.text for s in sentences(segment.text)):
            claims.extend(_sentence_claims(sentence, segment.location, reporting, patterns))
    for table in document.tables:
        claims.extend(_table_claims(document, table, reporting))
    return claims


def _sentence_claims(
    sentence: str,
    location: Location,
    reporting: date | None,
    patterns: list[re.Pattern[str]],
) -> list[RateClaim]:
    out: list[RateClaim] = []
    taken: list[tuple[int, int]] = []
    for pattern in patterns:
        for m in pattern.finditer(sentence):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            base, quote = to_code(m.group("b")), to_code(m.group("q"))
            if base is None or quote is None or base == quote:
                continue
            if _inside_parentheses(sentence, m.start()):
                continue  # "(2023: USD 1 = KZT 460.16)" is the comparative, dated elsewhere
            on = _sentence_date(sentence, reporting)
            if on is None:
                continue
            value = float(m.group("n").replace(",", ""))
            if value <= 0:
                continue
            taken.append((m.start(), m.end()))
            quoted = Location(
                document=location.document,
                paragraph=location.paragraph,
                quote=m.group(0),
            )
            average = bool(_AVERAGE.search(sentence))
            out.append(RateClaim(base, quote, value, on, average, m.group(0), quoted))
    return out


def _inside_parentheses(text: str, position: int) -> bool:
    before = text[:position]
    return before.count("(") > before.count(")")


def _sentence_date(sentence: str, reporting: date | None) -> date | None:
    outside = re.sub(r"\([^)]*\)", " ", sentence)
    dates = find_dates(outside)
    if dates:
        return dates[0].value
    if reporting is None:
        return None
    years = years_in(outside)
    if _AVERAGE.search(outside) and len(set(years)) == 1:
        return _same_day(reporting, years[0])
    if _CLOSING.search(outside):
        return reporting
    return None


def _same_day(reporting: date, year: int) -> date:
    try:
        return reporting.replace(year=year)
    except ValueError:  # 29 February
        return reporting.replace(year=year, day=28)


def _table_claims(document: Document, table: Table, reporting: date | None) -> list[RateClaim]:
    section = document.section(table.section_id)
    titles = [table.title or "", section.title if section else ""]
    context = " ".join(titles + [c.header for c in table.columns])
    if not _RATE_WORDS.search(context) or _NOT_RATES.search(context) or table.scale != 1.0:
        return []  # rates are printed as they are, never "in thousands"
    base = table.currency or document.currency or _named_currency(context)
    if base is None:
        return []
    label_column = table.label_column()
    out: list[RateClaim] = []
    for column in table.columns:
        if column.role not in (ColumnRole.AMOUNT, ColumnRole.OTHER) or column.index == label_column:
            continue
        on = _column_date(column.period_end, column.header, column.year, reporting)
        if on is None:
            continue
        average = bool(_AVERAGE.search(column.header))
        for row in table.rows:
            code = _row_currency(row.label)
            value = row.value(column.index)
            if code is None or code == base or value is None or value <= 0:
                continue
            cell = row.cells[column.index].text if column.index < len(row.cells) else str(value)
            out.append(
                RateClaim(
                    base=code,
                    quote=base,
                    value=value,
                    on=on,
                    average=average,
                    text=f"{row.label}: {cell} ({column.header})",
                    location=Location(
                        document=document.name,
                        table=table.id,
                        table_title=table.title or (section.title if section else table.id),
                        cells=[CellRef(row=row.index, column=column.index)],
                        quote=f"{row.label} {cell}",
                    ),
                    direct_known=False,
                    group=f"{table.id}:{column.index}",
                )
            )
    return out


def _named_currency(text: str) -> str | None:
    codes = {
        code
        for m in re.finditer(currency_pattern(), text)
        if (code := to_code(m.group(0))) is not None
    }
    return codes.pop() if len(codes) == 1 else None


def _row_currency(label: str) -> str | None:
    text = re.sub(r"[()\[\]]", " ", label).strip()
    codes = {
        code
        for m in re.finditer(currency_pattern(), text)
        if (code := to_code(m.group(0))) is not None
    }
    return codes.pop() if len(codes) == 1 else None


def _column_date(
    period_end: str | None, header: str, year: int | None, reporting: date | None
) -> date | None:
    end = parse_iso_date(period_end)
    if end is not None:
        return end
    dates = find_dates(header)
    if dates:
        return dates[0].value
    years = set(years_in(header)) or ({year} if year else set())
    if reporting is not None and len(years) == 1:
        return _same_day(reporting, years.pop())
    return None
