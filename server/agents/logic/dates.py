"""Dates and periods (DQC 0005/0036, IAS 1.51(c), IAS 1.38, IAS 10.17).

One reporting date throughout: statement titles and headers name it; "for the year ended X" in the
text names it or an earlier year end; statement columns are the current period and the one
before it; the date of authorisation falls after the period end; events after the reporting
period are dated after it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from generated.models import CellRef, Location, LogicCheck, Severity
from server.agents.logic.base import LogicContext, paragraph_location
from server.agents.logic.citations import cites_another_document, in_exhibit_index
from server.ingest.document import Paragraph, PeriodKind
from server.text.dates import find_dates, period_lengths
from server.text.labels import normalise
from server.text.sentences import sentences

CHECK = LogicCheck.date
_PERIOD_PHRASE = re.compile(
    r"(?:(?:year|period|financial year|twelve months|months|quarter) (?:ended|ending)|as at|as of)\s*$"
)
_AUTHORISED = re.compile(
    r"\b(authori[sz]ed for (issue|publication)|approved (for issue )?by the (board|directors|management|supervisory)"
    r"|approved and authori[sz]ed|were approved on|signed on behalf of the board on)"
)
_SUBSEQUENT = re.compile(
    r"\b(events? (occurring )?(after|subsequent to) the (reporting|balance sheet|statement of financial position)"
    r"( date| period)?|subsequent events|post[- ]balance sheet events?)\b"
)
_AUTHORISATION_TITLE = re.compile(
    r"\b(authori[sz]ation|approval) of (the )?(consolidated |separate |group |company )?financial statements"
)
_BY_DATE = re.compile(
    r"\b(until|through|to|by|before|due|repayable|expir\w*|ending)( on| on or before)?\s*$"
)
_EARLIER_REF = re.compile(
    r"\b(previously|originally|dated|entered into|signed|announced|since|as at|at)\s*$"
)
# The SEC cover page's own line; a short paragraph near the start, not a sentence of the text.
_COVER_PERIOD = re.compile(
    r"(?i)^\W*for the (?:fiscal year|quarterly period) ended\b"
    r"|report pursuant to section 13\b.{0,80}?\bfor the (?:fiscal year|quarterly period) ended\b"
)
_COVER_LINE = 240
_CONTRACT = re.compile(
    r"\b(agreements?|plans?|programs?|programmes?|amendments?|charter|by-?laws|indentures?)\b"
)
_STATEMENTS = re.compile(
    r"\b(financial statements|accounts|annual report|report of the directors)\b"
)
_ENDED = re.compile(r"\b(ended|ending)\s*$")
_COVER_PARAGRAPHS = 40
_FISCAL_SLACK_DAYS = 7
_NO_EVENT = re.compile(
    r"\bno (material |significant |other |adjusting |non-adjusting )*(subsequent )?events?\b"
)


def check_dates(ctx: LogicContext) -> None:
    rd = ctx.facts.reporting_date
    if rd is None or _cover_disagrees(ctx, rd):
        ctx.skipped(CHECK)
        return
    _headers(ctx, rd)
    _columns(ctx, rd)
    _text_periods(ctx, rd)
    _authorisation(ctx, rd)
    _subsequent_events(ctx, rd)


def _headers(ctx: LogicContext, rd: date) -> None:
    """Statement titles and page headers name the reporting date."""
    doc = ctx.document
    titles: list[tuple[str, Location]] = [
        (t.title, Location(table=t.id, table_title=t.title))
        for t in doc.tables
        if t.statement and t.title
    ]
    titles += [(s.title, Location(section=s.id)) for s in doc.sections if s.statement]
    titles += [(h, Location(quote=h)) for h in doc.page_headers]
    # Some preparers print the comparative statement of changes in equity as its own statement.
    current_kinds = {
        t.statement
        for t in doc.tables
        if t.statement and t.title and any(d.value == rd for d in find_dates(t.title))
    }
    prior_end = (
        rd.replace(year=rd.year - 1)
        if (rd.month, rd.day) != (2, 29)
        else rd.replace(year=rd.year - 1, day=28)
    )
    for text, loc in titles:
        kind = next((t.statement for t in doc.tables if t.title == text and t.statement), None)
        for d in find_dates(text):
            if not _PERIOD_PHRASE.search(normalise(text[: d.start])):
                continue
            if d.value == rd or (d.value == prior_end and kind in current_kinds):
                ctx.passed(CHECK)
                continue
            ctx.failed(
                CHECK,
                key=("title", text, d.text),
                severity=Severity.medium,
                title=f"Statement heading dated {d.text}, not the reporting date",
                description=(
                    f"'{text.strip()}' names {d.text}, but the statements report at "
                    f"{rd:%d %B %Y}. One reporting date should run through the document."
                ),
                reference="IAS 1.51(c)",
                locations=[loc],
                claim=text.strip(),
                contradiction=f"Reporting date {rd:%d %B %Y}",
            )


def _columns(ctx: LogicContext, rd: date) -> None:
    """Statement columns are the current period and the prior period."""
    for table in ctx.document.tables:
        if table.statement is None:
            continue
        years = sorted(ctx.facts.columns[table.id], reverse=True)
        if not years:
            continue
        current = _fiscal_label(rd, years[0])
        # A US 10-K prints three years of the income, cash-flow and equity statements.
        bad = [y for y in years if y > current or y < current - 2]
        if len(years) >= 2 and years[0] == current and years[1] != current - 1:
            bad.append(years[1])
        if not bad:
            ctx.passed(CHECK)
            continue
        cols = [
            c.index
            for y in bad
            for c in table.columns
            if ctx.facts.columns[table.id].get(y) and c.index in ctx.facts.columns[table.id][y]
        ]
        ctx.failed(
            CHECK,
            key=("columns", table.id, tuple(bad)),
            severity=Severity.medium,
            title=f"Column period {bad[0]} is not the current or prior period",
            description=(
                f"{table.title or table.id} has period columns {', '.join(map(str, years))}; the "
                f"reporting date is {rd:%d %B %Y}, so comparatives should be for {rd.year - 1}."
            ),
            reference="IAS 1.38",
            locations=[Location(table=table.id, cells=[CellRef(row=0, column=c) for c in cols])],
            claim=f"Columns {', '.join(map(str, years))}",
            contradiction=f"Current period {rd.year}, comparative {rd.year - 1}",
        )


def _text_periods(ctx: LogicContext, rd: date) -> None:
    """'For the year ended X' in the text is this period end or an earlier one.

    Not the report's own dates, so never compared: sentences citing another filing (an exhibit
    index, "incorporated by reference to ... Form 10-Q for the quarter ended ..."), a year
    still to come ("effective for our year ending December 31, 2027"), quarters inside the
    years reported, and in an interim report every earlier period end (its last annual
    statements). A 52/53-week fiscal year ends on a different day each year (December 25, 2021
    then December 31, 2022): within a week of the reporting date's day is the same year end.
    """
    doc = ctx.document
    interim = doc.period_kind is PeriodKind.INTERIM
    exhibits = in_exhibit_index(doc)
    for p in doc.paragraphs:
        if p.id in exhibits:
            continue
        for s in sentences(p.text):
            if cites_another_document(s.text):
                continue
            for d in find_dates(s.text):
                head = normalise(s.text[: d.start])
                if not _PERIOD_PHRASE.search(head) or not _ENDED.search(head):
                    continue  # "as at 1 January" opening balances and other dates are fine
                if d.value > rd and head.rstrip().endswith("ending"):
                    continue  # a period still to come, not one reported
                if d.value <= rd and (interim or _ends_with_interim_length(head)):
                    continue
                if d.value <= rd and _same_year_end(d.value, rd):
                    ctx.passed(CHECK)
                    continue
                ctx.failed(
                    CHECK,
                    key=(p.id, s.start, d.text),
                    severity=Severity.medium,
                    title=f"Period end {d.text} in the text does not match the reporting date",
                    description=(
                        f"The text refers to a period ended {d.text}; the statements report for the "
                        f"period ended {rd:%d %B %Y}."
                    ),
                    reference="DQC 0005",
                    locations=[paragraph_location(p, s.text)],
                    claim=s.text,
                    contradiction=f"Reporting date {rd:%d %B %Y}",
                )


def _same_year_end(d: date, rd: date) -> bool:
    """d is a year end of the same fiscal calendar as rd: the same day, or within a week of it
    (52/53-week years), in any year."""
    for year in (d.year - 1, d.year, d.year + 1):
        try:
            anchor = rd.replace(year=year)
        except ValueError:  # 29 February
            anchor = rd.replace(year=year, day=28)
        if abs((d - anchor).days) <= _FISCAL_SLACK_DAYS:
            return True
    return False


def _fiscal_label(rd: date, latest_column: int) -> int:
    """The year the statements' current column is labelled with: a fiscal year ending in
    January to March is often named after the calendar year before (fiscal 2024 ended
    February 2, 2025)."""
    if rd.month <= 3 and latest_column == rd.year - 1:
        return rd.year - 1
    return rd.year


def _cover_disagrees(ctx: LogicContext, rd: date) -> bool:
    """The cover page names another period end than the reporting date the reader found, or the
    statements' columns a later year, so that date is not sure: the date checks are skipped
    rather than measured against it."""
    latest = [
        max(ctx.facts.columns[t.id])
        for t in ctx.document.tables
        if t.statement is not None and ctx.facts.columns.get(t.id)
    ]
    if latest and max(latest) > rd.year:
        return True  # the statements' own columns are for a later year than the date found
    for p in ctx.document.paragraphs[:_COVER_PARAGRAPHS]:
        m = _COVER_PERIOD.search(p.text)
        if m is None or len(p.text) > _COVER_LINE:
            continue
        found = find_dates(p.text[m.end() : m.end() + 40])
        if found:
            return not _same_day_or_week(found[0].value, rd)
    return False


def _same_day_or_week(d: date, rd: date) -> bool:
    return abs((d - rd).days) <= _FISCAL_SLACK_DAYS


def _authorisation(ctx: LogicContext, rd: date) -> None:
    """The date the statements were authorised for issue falls after the period end."""
    doc = ctx.document
    in_section = {s.id for s in doc.sections if _AUTHORISATION_TITLE.search(normalise(s.title))}
    exhibits = in_exhibit_index(doc)
    for p in doc.paragraphs:
        if p.id in exhibits:
            continue
        for s in sentences(p.text):
            low = normalise(s.text)
            if not _AUTHORISED.search(low) and p.section_id not in in_section:
                continue
            if cites_another_document(s.text) or (
                _CONTRACT.search(low) and not _STATEMENTS.search(low)
            ):
                continue  # "Award Agreement, as approved by the Board of Directors" (an exhibit)
            dates = [
                d
                for d in find_dates(s.text)
                if not _PERIOD_PHRASE.search(normalise(s.text[: d.start]))
            ]
            if not dates:
                continue
            d = dates[-1]
            if rd < d.value <= rd + timedelta(days=550):
                ctx.passed(CHECK)
                continue
            late = d.value > rd
            ctx.failed(
                CHECK,
                key=(p.id, s.start, "authorised"),
                severity=Severity.low if late else Severity.high,
                title=f"Authorisation date {d.text} {'long after' if late else 'not after'} the period end",
                description=(
                    f"The statements are said to be authorised on {d.text}; the period ended "
                    f"{rd:%d %B %Y}. "
                    + (
                        "That is over 18 months later."
                        if late
                        else "Authorisation must follow the period end."
                    )
                ),
                reference="IAS 10.17",
                locations=[paragraph_location(p, s.text)],
                claim=s.text,
                contradiction=f"Period end {rd:%d %B %Y}",
            )


def _subsequent_events(ctx: LogicContext, rd: date) -> None:
    """Dates in the events-after-the-reporting-period note fall after the period end."""
    doc = ctx.document
    sections = {s.id for s in doc.sections if _SUBSEQUENT.search(normalise(s.title))}
    if not sections:
        return
    for block in doc.blocks:
        if not isinstance(block, Paragraph) or block.section_id not in sections:
            continue
        for s in sentences(block.text):
            dates = [
                d
                for d in find_dates(s.text)
                if not _PERIOD_PHRASE.search(normalise(s.text[: d.start]))
            ]
            if not dates or _NO_EVENT.search(normalise(s.text)):
                continue
            first = dates[0]
            if first.value <= rd and _EARLIER_REF.search(normalise(s.text[: first.start])):
                continue  # "the agreement dated 1 May 2024 was amended on ..."
            early_deadline = next(
                (
                    d
                    for d in dates[1:]
                    if d.value < first.value and _BY_DATE.search(normalise(s.text[: d.start]))
                ),
                None,
            )
            if first.value > rd and early_deadline is None:
                ctx.passed(CHECK)
                continue
            if first.value == rd and early_deadline is None:
                continue
            d = early_deadline or first
            d = min(dates, key=lambda x: x.value)
            ctx.failed(
                CHECK,
                key=(block.id, s.start, "subsequent"),
                severity=Severity.medium,
                title=f"Event after the reporting period dated {d.text}",
                description=(
                    f"The events-after-the-reporting-period note dates an event {d.text}, "
                    + (
                        f"before the event itself ({first.text})."
                        if early_deadline
                        else f"on or before the period end {rd:%d %B %Y}."
                    )
                ),
                reference="IAS 10.3",
                locations=[paragraph_location(block, s.text)],
                claim=s.text,
                contradiction=f"Period end {rd:%d %B %Y}",
            )


def _ends_with_interim_length(head: str) -> bool:
    """The text before a date ends "three months ended": a quarter's date, not the year end."""
    lengths = period_lengths(head)
    return bool(lengths) and lengths[-1].interim and not head[lengths[-1].end :].strip()
