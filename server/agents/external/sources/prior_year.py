"""The prior-year report as a source: this year's comparatives must be last year's figures.

Every amount in the primary statements and the notes becomes a *fact* keyed by where it sits:
the statement (or the note, by its title, since notes get renumbered), the line (normalised
label, the heading above it, and which occurrence it is), the column (its header without the
year, so "Group" and "Company" columns stay apart) and the period. Facts of the comparative
period in the current report are matched with the same facts in the prior-year report, where
they were current-year figures. A difference is a finding unless the report explains it as a
restatement or reclassification (IAS 8.49; see `restatement.py`).

Periods come from column years ("2024", "31 December 2023"); in tables whose columns are
components and whose rows run through the years (changes in equity, PP&E roll-forwards) the
period of a movement is that of the dated balance row that closes its block.

Precision before recall: a key that is ambiguous in either report (the same label twice under
one heading a different number of times, two columns with the same header and year) is not
compared at all, and lines with no counterpart are counted as unverifiable, not as findings.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from generated.models import CellRef, Location, Severity
from server.agents.external.sources.base import Outcome, SourceReport, Verdict, parse_iso_date
from server.agents.external.sources.restatement import RestatementIndex
from server.ingest.document import Column, ColumnRole, Document, Row, RowKind, Table
from server.text.dates import find_dates, years_in
from server.text.labels import match_key, title_key
from server.workers import offload

NAME = "prior_year"
REFERENCE = "IAS 8.49; IAS 1.38"
HIGH_MATERIALITY = 0.01  # a difference of 1% of the statement's largest figure is high

_STATEMENT_TITLES = {
    "financial_position": "statement of financial position",
    "profit_or_loss": "statement of profit or loss",
    "comprehensive_income": "statement of comprehensive income",
    "changes_in_equity": "statement of changes in equity",
    "cash_flows": "statement of cash flows",
}

FactKey = tuple[str, str, str, int, str, str]  # group, heading, label, occurrence, column, period
Slot = tuple[str, str, str, str, str]  # the same without the occurrence


@dataclass(frozen=True, slots=True)
class Fact:
    group: str
    group_title: str
    table: Table
    row: Row
    column: int
    period: str
    value: float  # as printed
    scale: float

    @property
    def amount(self) -> float:
        return self.value * self.scale


class PriorYearSource:
    """The prior-year statements uploaded with the audit (AuditInputs.prior_year)."""

    name = NAME

    def __init__(self, prior: Document | None) -> None:
        self._prior = prior

    def data_date(self) -> date | None:
        if self._prior is None:
            return None
        return parse_iso_date(self._prior.reporting_date) or date.today()

    def available(self) -> bool:
        return self._prior is not None

    def unavailable_reason(self) -> str | None:
        return None if self._prior else "No prior-year statements were uploaded with this audit."

    async def check(self, document: Document) -> SourceReport:
        if self._prior is None:
            return SourceReport(detail=self.unavailable_reason())
        return await offload(compare, document, self._prior)


def compare(current: Document, prior: Document) -> SourceReport:
    """Verdicts on every comparative figure of `current` that `prior` also reports."""
    when = parse_iso_date(prior.reporting_date) or date.today()
    cy = reporting_year(current)
    py = reporting_year(prior)
    if cy is None:
        return SourceReport(detail="The current report's year could not be established.")
    if py is None:
        return SourceReport(detail="The prior-year report's year could not be established.")
    if py != cy - 1:
        verdict = Verdict(
            source=NAME,
            source_date=when,
            outcome=Outcome.UNVERIFIABLE,
            claim=f"Comparatives for {cy - 1}",
            evidence=f"The uploaded prior-year report ({prior.name}) is for {py}.",
            key=("prior_year", "wrong_year", str(py)),
            title=f"Uploaded prior-year report is for {py}, not {cy - 1}",
            description=(
                f"The comparatives in this report are for {cy - 1}, but the uploaded prior-year "
                f"report covers {py}, so the comparatives could not be checked against it."
            ),
            reference=REFERENCE,
            severity=Severity.low,
            locations=(Location(document=prior.name),),
        )
        return SourceReport(verdicts=[verdict], detail=verdict.evidence)

    comparative = str(cy - 1)
    cur_facts, cur_slots = extract_facts(current)
    old_facts, old_slots = extract_facts(prior)
    index = RestatementIndex(current)
    verdicts: list[Verdict] = []
    agreed: dict[str, list[Fact]] = defaultdict(list)
    unmatched: Counter[str] = Counter()
    base: dict[str, float] = defaultdict(float)
    for earlier in old_facts.values():
        if earlier.period == comparative:
            base[earlier.group] = max(base[earlier.group], abs(earlier.amount))

    cur_by_note, old_by_note = _by_note(cur_facts), _by_note(old_facts)
    for key, fact in cur_facts.items():
        if fact.period != comparative:
            continue
        slot = (key[0], key[1], key[2], key[4], key[5])
        old = old_facts.get(key)
        if old is None or cur_slots[slot] != old_slots[slot]:
            # a repeated label whose repeats differ: only its note reference can tell them apart
            noted = (slot, _note(fact))
            old = old_by_note.get(noted) if cur_by_note.get(noted) is fact else None
        if old is None:
            unmatched[fact.group_title] += 1
            continue
        if _agree(fact, old):
            agreed[fact.group_title].append(fact)
            continue
        explanation = index.explains(fact.row.label, fact.table, fact.column)
        if explanation is not None:
            verdicts.append(_explained(fact, old, explanation.where, explanation.quote, when))
        else:
            verdicts.append(
                _contradicted(fact, old, current, prior, when, base[fact.group], index.blanket)
            )

    for title, facts in agreed.items():
        verdicts.append(
            Verdict(
                source=NAME,
                source_date=when,
                outcome=Outcome.VERIFIED,
                claim=f"{len(facts)} comparative figures ({comparative}) in the {title}",
                evidence=f"They equal the current-year figures in {prior.name}.",
                key=("prior_year", "agreed", title),
                locations=(Location(document=current.name, table=facts[0].table.id),),
                claims=len(facts),
            )
        )
    for title, count in unmatched.items():
        verdicts.append(
            Verdict(
                source=NAME,
                source_date=when,
                outcome=Outcome.UNVERIFIABLE,
                claim=f"{count} comparative figures ({comparative}) in the {title}",
                evidence=f"No line with the same label, heading and column in {prior.name}.",
                key=("prior_year", "unmatched", title),
                claims=count,
                finding=False,
            )
        )
    compared = sum(v.claims for v in verdicts if v.outcome is not Outcome.UNVERIFIABLE)
    detail = (
        f"{compared} comparative figures compared with {prior.name}; "
        f"{sum(unmatched.values())} had no counterpart."
    )
    return SourceReport(verdicts=verdicts, detail=detail)


def _note(fact: Fact) -> str:
    return (fact.row.note or "").strip().lower()


def _by_note(facts: dict[FactKey, Fact]) -> dict[tuple[Slot, str], Fact | None]:
    """Facts by slot and note reference, for lines whose label repeats; None where even the
    note does not make the line unique (or the line cites no note)."""
    out: dict[tuple[Slot, str], Fact | None] = {}
    for key, fact in facts.items():
        note = _note(fact)
        if not note:
            continue
        noted = ((key[0], key[1], key[2], key[4], key[5]), note)
        out[noted] = None if noted in out else fact
    return out


def reporting_year(document: Document) -> int | None:
    """The year of the current period: from the reporting date, else the latest column year of
    the primary statements."""
    when = parse_iso_date(document.reporting_date)
    if when is not None:
        return when.year
    years = [
        y
        for t in document.tables
        if t.statement is not None
        for c in t.amount_columns()
        if (y := column_year(c)) is not None
    ]
    return max(years) if years else None


def column_year(column: Column) -> int | None:
    if column.year is not None:
        return column.year
    if column.period_end:
        when = parse_iso_date(column.period_end)
        if when is not None:
            return when.year
    years = set(years_in(" ".join(filter(None, [column.period, column.header]))))
    return years.pop() if len(years) == 1 else None


def extract_facts(document: Document) -> tuple[dict[FactKey, Fact], Counter[Slot]]:
    """Every amount in the statements and notes of `document`, keyed by where it sits, and how
    many times each slot (a key without its occurrence number) occurs."""
    year_end = _year_end(document)
    slots: Counter[Slot] = Counter()
    last_heading: dict[str, str] = {}
    facts: dict[FactKey, Fact] = {}
    for table in document.tables:
        group = _group(document, table)
        if group is None:
            continue
        key, title = group
        heading = last_heading.get(key, "") if table.continued_from else ""
        cells = _period_cells(table, year_end)
        for position, row in enumerate(table.rows):
            if row.kind is RowKind.HEADING:
                heading = match_key(row.label)
                continue
            label = match_key(row.label)
            if row.kind is RowKind.SPACER or not label:
                continue
            for column, period, col_key in cells.get(position, []):
                value = row.value(column)
                if value is None:
                    continue
                slot = (key, heading, label, col_key, period)
                occurrence = slots[slot]
                slots[slot] += 1
                fact = Fact(key, title, table, row, column, period, value, table.scale)
                facts[(key, heading, label, occurrence, col_key, period)] = fact
        last_heading[key] = heading
    return facts, slots


def _period_cells(
    table: Table, year_end: tuple[int, int] | None
) -> dict[int, list[tuple[int, str, str]]]:
    """Row position -> the (column, period, column key) of each amount cell on that row."""
    periods = _column_periods(table, year_end)
    if periods:
        return {
            position: [(index, period, col_key) for index, (period, col_key) in periods.items()]
            for position in range(len(table.rows))
        }
    return _block_periods(table)


def _group(document: Document, table: Table) -> tuple[str, str] | None:
    """The statement or note a table belongs to. A note wins over a statement kind: a table
    inside a note that merely looks like a statement is still that note's. Notes are keyed by
    title, not number, since notes get renumbered from one year to the next."""
    number = table.note_number
    section = document.section(table.section_id)
    while number is None and section is not None:
        number = section.note_number
        section = document.section(section.parent_id)
    if number is not None:
        title = _note_titles(document).get(number) or title_key(table.title or "")
        return (f"note:{title}", f"note on {title}") if title else None
    if table.statement is not None:
        kind = table.statement.value
        return kind, _STATEMENT_TITLES.get(kind, kind.replace("_", " "))
    return None


def _note_titles(document: Document) -> dict[str, str]:
    titles: dict[str, str] = {}
    for section in document.sections:
        if section.note_number and section.note_number not in titles:
            titles[section.note_number] = title_key(section.title)
    return titles


def _year_end(document: Document) -> tuple[int, int] | None:
    when = parse_iso_date(document.reporting_date)
    if when is not None:
        return when.month, when.day
    ends = Counter(
        (d.month, d.day)
        for t in document.tables
        for c in t.amount_columns()
        if (d := parse_iso_date(c.period_end)) is not None
    )
    return ends.most_common(1)[0][0] if ends else None


def _column_periods(table: Table, year_end: tuple[int, int] | None) -> dict[int, tuple[str, str]]:
    """Amount columns that carry a period: index -> (period, column key). Empty when no amount
    column states a year (the table runs through periods by rows)."""
    periods: dict[int, tuple[str, str]] = {}
    for column in table.amount_columns():
        year = column_year(column)
        if year is None:
            continue
        period = str(year)
        end = parse_iso_date(column.period_end)
        if end is not None and year_end is not None and (end.month, end.day) != year_end:
            period = end.isoformat()  # an opening-balance column ("1 January 2023")
        periods[column.index] = (period, _column_key(column.header))
    return periods


def _column_key(header: str) -> str:
    text = header
    for mention in find_dates(header):
        text = text.replace(mention.text, " ")
    words = [w for w in match_key(text).split() if not w.isdigit()]
    return " ".join(w for w in words if w not in {"restated", "reclassified", "as", "adjusted"})


def _block_periods(table: Table) -> dict[int, list[tuple[int, str, str]]]:
    """For a roll-forward table (columns are components, rows run through the years): each row
    takes the year of the dated balance row that closes its block."""
    dated: dict[int, int] = {}
    for position, row in enumerate(table.rows):
        if row.kind is RowKind.HEADING or all(row.value(c.index) is None for c in table.columns):
            continue
        dates = find_dates(row.label)
        if len(dates) == 1:
            dated[position] = dates[0].value.year
    if len(dated) < 2:
        return {}
    label_column = table.label_column()
    columns = [
        (c.index, _column_key(c.header))
        for c in table.columns
        if c.role is ColumnRole.AMOUNT and c.index != label_column
    ]
    closings = sorted(dated)
    out: dict[int, list[tuple[int, str, str]]] = {}
    for position in range(len(table.rows)):
        closing = next((p for p in closings if p >= position), None)
        if closing is None:
            continue
        period = str(dated[closing])
        out[position] = [(index, period, col_key) for index, col_key in columns]
    return out


def _agree(a: Fact, b: Fact) -> bool:
    if a.scale == b.scale:
        return abs(a.value - b.value) <= 1e-6 * max(1.0, abs(a.value))
    return abs(a.amount - b.amount) <= max(a.scale, b.scale)


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def _where(fact: Fact, document: Document) -> Location:
    return Location(
        document=document.name,
        table=fact.table.id,
        table_title=fact.table.title or fact.group_title,
        cells=[CellRef(row=fact.row.index, column=fact.column)],
        quote=fact.row.label,
    )


def _explained(fact: Fact, old: Fact, where: str, quote: str, when: date) -> Verdict:
    return Verdict(
        source=NAME,
        source_date=when,
        outcome=Outcome.VERIFIED,
        claim=f"'{fact.row.label}' {fact.period}: {_fmt(fact.value)} (restated)",
        evidence=f"Prior-year report: {_fmt(old.value)}; the change is explained ({where}: {quote})",
        key=("prior_year", "explained", fact.group, fact.row.label, str(fact.column)),
        locations=(Location(table=fact.table.id, quote=quote[:200]),),
    )


def _contradicted(
    fact: Fact,
    old: Fact,
    current: Document,
    prior: Document,
    when: date,
    base: float,
    blanket: str | None,
) -> Verdict:
    difference = fact.amount - old.amount
    materiality = abs(difference) / base if base else 1.0
    severity = Severity.high if materiality >= HIGH_MATERIALITY else Severity.medium
    description = (
        f"The {fact.group_title} shows {_fmt(fact.value)} for '{fact.row.label}' in {fact.period}; "
        f"the prior-year report {prior.name} shows {_fmt(old.value)} for the same line as its "
        f"current-year figure (difference {_fmt(difference / fact.scale)} in printed units, "
        f"{materiality:.1%} of the statement's largest figure). The report does not present "
        "this line as restated or reclassified."
    )
    if blanket:
        description += f' It only says, without naming the line: "{blanket[:200]}"'
    return Verdict(
        source=NAME,
        source_date=when,
        outcome=Outcome.CONTRADICTED,
        claim=f"'{fact.row.label}' {fact.period}: {_fmt(fact.value)}",
        evidence=(
            f"{prior.name}, {old.table.title or old.group_title}, '{old.row.label}' "
            f"{old.period}: {_fmt(old.value)}"
        ),
        key=("prior_year", fact.group, fact.table.id, str(fact.row.index), str(fact.column)),
        title=f"Comparative for '{fact.row.label[:120]}' differs from the prior-year report",
        description=description,
        reference=REFERENCE,
        severity=severity,
        locations=(_where(fact, current), _where(old, prior)),
    )
