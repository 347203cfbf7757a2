"""Narrative vs figures: amounts, changes and percentages stated in prose against the tables.

A sentence is checked only when its figure is tied to a line item by plain connecting words
("Revenue decreased by 6% to EUR 12.4 million", "a loss of 12,400 thousand (2023: 9,870)").
Anything looser ("an impairment loss of", "approximately", two candidate years) is counted as a
claim found but not checked (claim extraction lives in logic_claims). A figure that no candidate
line explains is reported only if no cell on a related line (sharing a word with the item) shows
it either: the sentence may be about a narrower line than the one its words picked.
Tolerance is the stated precision (12.4 million means [12.35, 12.45) million) plus half a
printed unit of the table.
"""

from __future__ import annotations

import re

from generated.models import CellRef, Location, LogicCheck, Severity
from server.agents.logic.base import LogicContext, fmt, label_key, paragraph_location
from server.agents.logic.claims import (
    BREAKDOWN,
    CASH_PARTS,
    COMMON_WORDS,
    Claim,
    Term,
    classify,
    connector_words,
    find_terms,
    forward_change,
    lower,
    terms_for,
    words,
    year_marks,
    years_for,
)
from server.agents.logic.mentions import CURRENCY_TOKEN, Mention, mentions
from server.agents.vocabulary import NARRATIVE_TERMS
from server.ingest.document import Paragraph, Row, RowKind, StatementKind, Table
from server.text.dates import find_dates
from server.text.sentences import sentences

CHECK = LogicCheck.narrative
REFERENCE = "IAS 1.15"


def check_narrative(ctx: LogicContext) -> None:
    terms = terms_for(ctx)
    for paragraph in ctx.document.paragraphs:
        for sentence in sentences(paragraph.text):
            _check_sentence(ctx, paragraph, sentence.text, terms)


def _check_sentence(
    ctx: LogicContext, paragraph: Paragraph, sentence: str, terms: list[Term]
) -> None:
    low = lower(sentence)
    ms = mentions(sentence)
    candidates = [m for m in ms if m.money_like or m.kind == "percent"]
    if not candidates:
        return
    found = [
        t
        for t in find_terms(low, terms)
        if not _modifier(low, t[0]) and not _instance(low, t[0]) and not _compound(low, t[0])
    ]
    phrases = [t[2].phrase for t in found]
    if BREAKDOWN.search(low) or _PART_OF.search(low) or len(phrases) != len(set(phrases)):
        found = []  # figures for parts of a line: counted below, never checked
    years = years_for(low, ms, year_marks(low, ms, ctx.facts), ctx.facts.current_year)
    chain: tuple[int, int, Term] | None = None
    chain_end = -1
    previous_from = False
    last_direction = 0
    for m in candidates:
        term = next((t for t in reversed(found) if t[1] <= m.start), None)
        if term is not None and chain is not None and term[0] == chain[0]:
            start = chain_end
        else:
            start, previous_from = (term[1] if term else 0), False
        claim: Claim | None = None
        if (
            m.comparative_year
            and chain is not None
            and chain_end <= m.start
            and re.fullmatch(r"[^)]{0,120}", low[chain_end : m.start])
            and not any(chain_end <= t[0] < m.start for t in found)
        ):
            term, start = chain, m.start  # "(2023: loss of 9,870)" belongs to the figure before it
        if term is not None:
            extra = CASH_PARTS if term[2].concept == "cash" else frozenset()
            words = connector_words(low[start : m.start], extra)
            claim = classify(m, term[2], words, years.get(m.start), previous_from, last_direction)
            previous_from = bool(words) and words is not None and words[-1] == "from"
            if claim is not None and _narrower(low, term, m, claim):
                claim = None
        if claim is None and m.kind == "percent":
            claim = forward_change(low, m, found, years.get(m.start))
        if m.money_like or claim is not None:
            ctx.claims_found += 1
        if claim is None:
            if m.money_like:
                ctx.skipped(CHECK)
            continue
        chain, chain_end = term, m.end
        last_direction = claim.direction or last_direction
        _evaluate(ctx, paragraph, sentence, claim)


_OF_SOMETHING_ELSE = re.compile(
    r"\b([a-z]+)\)? (associated with|related to|attributable to|from|of|on|to|for|with|impacting|"
    r"affecting|impact|in)\s+((the|our|its|their|this|these|such|company's|group's|all)\s+)*$"
)
# "changes in accounts payable ($2.5 billion)" is a cash-flow movement, not the payables line.
_CHANGE_WORDS = {
    "increase", "decrease", "increases", "decreases", "growth", "rise", "fall", "decline",
    "reduction", "improvement", "deterioration", "drop",
}  # fmt: skip
# Sentences about a part or a variant of a line: what is "included in" it, a subset of plans,
# one country's share, a figure "excluding" something, a reclassification, a notional amount.
_PART_OF = re.compile(
    r"\b(included in|includ(es|ing)|excluding|exclusive of|u\.s\.|domestic|foreign|non-u\.s\."
    r"|for (the |all )?plans|reclassified|notional|operationally|program)\b"
)
_RESULT_VERB = re.compile(r"\b(reported|made|incurred|posted|achieved|generated)\s+(a|an)\s*$")
_FOR_THE_YEAR = re.compile(
    r"^(?:[^.;]|\.(?=\d)){0,80}\bfor the (financial |fiscal )?(year|period)\b"
)
_INSTANCE = re.compile(r"(^|[^a-z])(a|an)\s*$")
# "assets and liabilities of $11.1 billion", "cash, cash equivalents and marketable securities
# totaling": the term is the last of several items, and the figure may be their sum.
_AND_BEFORE = re.compile(r"\b([a-z]+) and (the |our |its )?$")
_SCALE_WORDS = {"thousand", "thousands", "million", "millions", "billion", "billions", "percent"}
# A change named before the item ("the increase in the valuation allowance was $67 million",
# "increased the valuation allowance by"): the figure is a movement, never the line's balance.
_CHANGE_BEFORE = re.compile(
    r"\b(increase[ds]?|decrease[ds]?|rose|fell|grew|declined?|reduced|reduction|growth|"
    r"improvement|improved|change[ds]?|movement)\s+(in\s+|of\s+)?((the|our|its|both)\s+)*$"
)
# What follows the figure narrows it: "a loss of $3.5 million related to the notes", "$469
# million ($358 million after-tax)".
_NARROWED_AFTER = re.compile(
    r"^\s*\)?\s*(after[- ]tax|pre[- ]tax|before tax|net of tax|related to|relating to|"
    r"associated with|attributable to|in connection with|arising (from|on))\b"
)


_BARE_BRACKET = re.compile(rf"\s*\(\s*(?:{CURRENCY_TOKEN}\s*)?")


def _compound(low: str, start: int) -> bool:
    """The term is joined to a preceding noun by "and" ("assets and liabilities"), so the figure
    after it may be the sum of both. After a figure ("revenue rose by 5% and costs by 3%") it is
    the next item of a list of claims and still its own."""
    m = _AND_BEFORE.search(low[:start])
    return m is not None and m.group(1) not in _SCALE_WORDS


def _narrower(low: str, term: tuple[int, int, Term], m: Mention, claim: Claim) -> bool:
    """Whether the claim is about a movement or a part of the line rather than the line itself:
    a level figure after a named change, a bare "($4.6 billion)" after an item in a list (the
    item's share of some other total), or a figure qualified by what follows it."""
    if claim.kind == "level" and _CHANGE_BEFORE.search(low[: term[0]]):
        return True
    if (
        not m.comparative_year
        and _BARE_BRACKET.fullmatch(low[term[1] : m.start])
        and low[m.end :].lstrip().startswith(")")
    ):  # "payables (EUR 8.0 million; 2023: 7.4 million)" is the line with its comparative
        return True
    return _NARROWED_AFTER.search(low[m.end :]) is not None


def _instance(low: str, start: int) -> bool:
    """ "a loss of $7 million from these conversions", "an impairment charge of $760 million":
    one event, not the statement line of that name."""
    if low[max(0, start - 2) : start].endswith(("(", "/")):
        return True  # "income/(loss)", "income (loss)": half of a combined label
    if _INSTANCE.search(low[:start]) is None:
        return False
    # "reported a loss of EUR 500 thousand for the year" is the year's result
    return not (_RESULT_VERB.search(low[:start]) or _FOR_THE_YEAR.search(low[start:]))


def _modifier(low: str, start: int) -> bool:
    """The term only qualifies another subject: "excess tax benefits associated with stock-based
    compensation totaled $84 million", "undistributed earnings from our equity method
    investments of $141". The figure is the other subject's; a change of the term itself
    ("an increase in revenue of 24%") is still its own."""
    m = _OF_SOMETHING_ELSE.search(low[:start])
    return m is not None and m.group(1) not in _CHANGE_WORDS


def _lines(ctx: LogicContext, term: Term) -> list[tuple[Table, Row]]:
    if term.column:
        table = next(t for t in ctx.document.tables if t.id == term.column[0])
        return [(table, next(r for r in reversed(table.rows) if r.kind is RowKind.TOTAL))]
    if term.concept:
        return [tr for tr in ctx.facts.concepts.get(term.concept, [])]
    return [(t, r) for t in ctx.document.tables for r in t.rows if label_key(r) == term.label]


def _loss_line(row: Row) -> bool:
    """A line named as a loss ("Loss from operations") printed with losses negative."""
    key = label_key(row)
    return key.startswith("loss") and "profit" not in key and "income" not in key


def _signed(row: Row, printed: float) -> float:
    key = label_key(row)
    if "loss" in key and "profit" not in key and printed > 0:
        return -printed
    return printed


def _claimed_sign(claim: Claim) -> int:
    if claim.term.concept != "profit_for_year":
        return 0
    return -1 if "loss" in claim.term.phrase else 1


def _evaluate(ctx: LogicContext, paragraph: Paragraph, sentence: str, claim: Claim) -> None:
    lines = _lines(ctx, claim.term)
    need = {claim.year} if claim.kind == "level" else {claim.year, claim.year - 1}
    yc = {(t.id, r.index): _year_columns(ctx, t, r) for t, r in lines}
    if claim.term.column and ctx.facts.current_year is not None:
        # a movement table's column total is the current year's
        yc = {k: {ctx.facts.current_year: claim.term.column[1]} for k in yc}
    usable = [(t, r) for t, r in lines if need <= set(yc[(t.id, r.index)])]
    values = [(t, r, {y: r.value(yc[(t.id, r.index)][y]) for y in need}) for t, r in usable]
    values = [(t, r, v) for t, r, v in values if all(x is not None for x in v.values())]
    if not values:
        ctx.skipped(CHECK)
        return
    ctx.claims_checked += 1
    m = claim.mention
    if any(_explains(claim, t, r, v) for t, r, v in values):
        ctx.passed(CHECK)
        return
    if any(_unscaled(claim, t, v) for t, _r, v in values):
        ctx.skipped(CHECK)  # the table's unit was not read: its figures cannot be compared
        ctx.claims_checked -= 1
        return
    sign_only = claim.kind == "level" and any(
        _abs_match(m, t, v[claim.year] or 0.0) for t, r, v in values
    )
    if claim.kind != "change_pct" and not sign_only and _anywhere(ctx, m, claim, lines):
        ctx.skipped(CHECK)
        ctx.claims_checked -= 1
        return
    table, row, vals = values[0]
    sign = _claimed_sign(claim)
    col = yc[(table.id, row.index)][claim.year]
    printed = row.cells[col].text.strip()
    what = f"'{row.label.strip()}' ({table.title or table.id}, {claim.year})"
    if claim.kind == "level":
        shown = _signed(row, vals[claim.year] or 0.0)
        if sign and _abs_match(m, table, abs(shown)) and (shown < 0) != (sign < 0):
            contradiction = f"{what} is {printed}: a {'loss' if shown < 0 else 'profit'}, not a {'loss' if sign < 0 else 'profit'}"
        else:
            contradiction = f"{what} is {printed} ({_scale_words(table)})"
        title = f"Narrative amount for '{claim.term.phrase}' disagrees with the statements"
    else:
        cur, prior = vals[claim.year] or 0.0, vals[claim.year - 1] or 0.0
        prior_col = yc[(table.id, row.index)][claim.year - 1]
        change = (cur - prior) / abs(prior) * 100 if prior else float("nan")
        if claim.kind == "change_pct":
            contradiction = (
                f"{what} moved from {row.cells[prior_col].text.strip()} to {printed}: "
                f"a change of {change:+.1f}%"
            )
        else:
            contradiction = (
                f"{what} moved from {row.cells[prior_col].text.strip()} to {printed}: "
                f"a change of {fmt(cur - prior)} ({_scale_words(table)})"
            )
        title = f"Stated change in '{claim.term.phrase}' disagrees with the statements"
    cells = [c for c in [col] if c is not None]
    loc_table = _table_location(table, row, cells)
    ctx.failed(
        CHECK,
        key=(paragraph.id, m.start, claim.kind),
        severity=Severity.medium,
        title=title,
        description=(
            f"The text states '{sentence[m.start : m.end]}' for {claim.term.phrase} ({claim.year}); "
            f"the statements show otherwise, allowing for the stated precision and rounding."
        ),
        reference=REFERENCE,
        locations=[paragraph_location(paragraph, sentence), loc_table],
        claim=sentence,
        contradiction=contradiction,
    )


def _year_columns(ctx: LogicContext, table: Table, row: Row) -> dict[int, int]:
    """The column holding each year's figure for a row.

    Period tables have a column per year; a note with a single amount column and no dated rows
    is the current year's. A statement of changes in equity has rows per year
    instead: a movement row belongs to the year whose closing balance row follows it, and its
    figure is read from the total column.
    """
    by_year = ctx.facts.columns[table.id]
    if by_year:
        return {y: cols[0] for y, cols in by_year.items()}
    amounts = table.amount_columns()
    if (
        table.statement is None
        and len(amounts) == 1
        and ctx.facts.current_year is not None
        and not any(find_dates(r.label) for r in table.rows)
    ):
        return {ctx.facts.current_year: amounts[0].index}  # a one-column note is this year's
    if table.statement is not StatementKind.CHANGES_IN_EQUITY or ctx.facts.reporting_date is None:
        return {}
    rd = ctx.facts.reporting_date
    amounts = table.amount_columns()
    if not amounts:
        return {}
    totals = [c for c in amounts if "total" in c.header.lower()]
    column = (totals or amounts)[-1].index
    for later in table.rows[row.index :]:
        dates = find_dates(later.label)
        if not dates:
            continue
        d = dates[0].value
        if (d.month, d.day) != (rd.month, rd.day):
            return {} if later is row else {}  # an opening balance: not a year's movement
        return {d.year: column}
    return {}


def _table_location(table: Table, row: Row, cols: list[int]) -> Location:
    loc = Location(table=table.id, cells=[CellRef(row=row.index, column=c) for c in cols])
    if table.title:
        loc.table_title = table.title
    return loc


def _scale_words(table: Table) -> str:
    return f"in {table.scale_label}" if table.scale != 1 else "in units"


def _interpretations(m: Mention, table: Table) -> list[tuple[float, float]]:
    """(value, half-width) pairs the written figure may stand for, in currency units."""
    if m.multiplier is not None:
        return [(m.number * m.multiplier, m.step * m.multiplier / 2)]
    out = [(m.number * table.scale, m.step * table.scale / 2)]
    if table.scale != 1:
        out.append((m.number, m.step / 2))
    return out


def _abs_match(m: Mention, table: Table, printed: float) -> bool:
    actual = abs(printed) * table.scale
    half_unit = table.scale / 2
    return any(
        abs(v - actual) <= hw + half_unit + 1e-6 * max(actual, 1.0)
        for v, hw in _interpretations(m, table)
    )


def _explains(claim: Claim, table: Table, row: Row, vals: dict[int, float | None]) -> bool:
    m = claim.mention
    if claim.kind == "level":
        printed = _signed(row, vals[claim.year] or 0.0)
        if not _abs_match(m, table, printed):
            return False
        sign = _claimed_sign(claim)
        if sign and printed != 0:
            return (printed < 0) == (sign < 0)
        return True
    cur, prior = vals[claim.year] or 0.0, vals[claim.year - 1] or 0.0
    if claim.kind == "change_abs":
        diff = cur - prior
        if _loss_line(row) and claim.direction:
            diff = -diff  # "loss from operations increased by" a more negative figure
        diffs = [diff]
        if cur < 0 and prior < 0:
            # an expense or outflow printed in brackets both years: "interest expense decreased"
            # and "net cash used increased" speak of its size
            diffs.append(abs(cur) - abs(prior))
        return any(
            not (claim.direction and d * claim.direction < 0)
            and abs(v - abs(d) * table.scale) <= hw + table.scale + 1e-6 * abs(v)
            for d in diffs
            for v, hw in _interpretations(m, table)
        )
    if prior == 0:
        return True  # a change from nil has no percentage; nothing to contradict
    half = 0.5
    lo_hi = []
    for c in (cur - half, cur + half):
        for p in (prior - half, prior + half):
            if p != 0:
                lo_hi.append((c - p) / abs(p) * 100)
    lo, hi = min(lo_hi), max(lo_hi)
    stated = claim.direction * m.number
    tol = m.step / 2 + 1e-9
    return stated + tol >= lo and stated - tol <= hi


def _unscaled(claim: Claim, table: Table, vals: dict[int, float | None]) -> bool:
    """The text writes "$197 billion" and the printed figure is 197,205, but the table was read
    in units (its "in millions" lost) or in billions (a scale word meant for one row): the
    figure agrees at another unit, so the unit was misread and the figures cannot be compared."""
    m = claim.mention
    if m.multiplier is None or m.multiplier < 1000:
        return False
    for scale in (1e3, 1e6, 1e9):
        if scale == table.scale:
            continue
        if claim.kind == "level":
            printed = abs(vals[claim.year] or 0.0) * scale
            if abs(m.number * m.multiplier - printed) <= (m.step * m.multiplier + scale) / 2:
                return True
        else:
            diff = abs(abs(vals[claim.year] or 0.0) - abs(vals[claim.year - 1] or 0.0)) * scale
            if abs(m.number * m.multiplier - diff) <= m.step * m.multiplier / 2 + scale:
                return True
    return False


def _anywhere(ctx: LogicContext, m: Mention, claim: Claim, lines: list[tuple[Table, Row]]) -> bool:
    """Whether the written figure equals a printed cell on a line about the same thing.

    The sentence may be about a narrower or related line than the one its words picked (a loan
    "repaid" is the cash-flow line, not the balance): a cell whose label shares a word with the
    item, or with the item's own lines, explains the figure. A cell on an unrelated line does not.
    """
    related = words(claim.term.phrase, COMMON_WORDS)
    related |= {w for _t, r in lines for w in words(r.label, COMMON_WORDS)}
    if claim.term.concept:
        phrases = NARRATIVE_TERMS.get(claim.term.concept, ())
        related |= {w for p in phrases for w in words(p, COMMON_WORDS)}
    for table in ctx.document.tables:
        for row in table.rows:
            if not words(row.label, COMMON_WORDS) & related:
                continue
            for cell in row.cells:
                if cell.value is not None and not cell.percent and _abs_match(m, table, cell.value):
                    return True
    return False
