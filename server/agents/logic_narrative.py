"""Narrative vs figures: amounts, changes and percentages stated in prose against the tables.

A sentence is checked only when its figure is tied to a line item by plain connecting words
("Revenue decreased by 6% to EUR 12.4 million", "a loss of 12,400 thousand (2023: 9,870)").
Anything looser ("an impairment loss of", "approximately", two candidate years) is counted as a
claim found but not checked. A figure that no candidate line explains is reported only if it
also appears in no table cell at all: the sentence may be about a narrower line we did not pick.
Tolerance is the stated precision (12.4 million means [12.35, 12.45) million) plus half a
printed unit of the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generated.models import CellRef, Location, LogicCheck, Severity
from server.agents.logic_base import Facts, LogicContext, fmt, label_key, paragraph_location
from server.agents.logic_mentions import CURRENCY_TOKEN, Mention, mentions
from server.agents.text_match import NARRATIVE_TERMS, concept_of, find_dates, sentences
from server.ingest.document import Paragraph, Row, RowKind, StatementKind, Table

CHECK = LogicCheck.narrative
REFERENCE = "IAS 1.15"

_UP = {
    "increased",
    "increase",
    "rose",
    "rise",
    "grew",
    "growth",
    "up",
    "higher",
    "improved",
    "increasing",
}
_DOWN = {
    "decreased",
    "decrease",
    "fell",
    "fall",
    "declined",
    "decline",
    "down",
    "lower",
    "dropped",
    "reduced",
    "reduction",
    "decreasing",
}
_CONNECT = _UP | _DOWN | {
    "of", "was", "were", "is", "are", "amounted", "amounting", "amounts", "to", "totalled",
    "totaled", "totalling", "totaling", "stood", "at", "reached", "by", "the", "for", "year",
    "period", "financial", "a", "an", "ended", "as", "compared", "with", "from", "in", "its",
    "net", "which", "has", "have", "had", "been", "be", "amount", "balance", "recorded",
    "reported", "s", "on", "end", "this", "current", "previous", "prior", "last", "group",
    "company", "against", "versus", "vs", "thousand", "thousands", "million", "millions", "billion", "eur", "usd", "gbp",
    "euro", "euros", "dollars", "it", "and", "total", "came", "y", "yoy",
}  # fmt: skip
_APPROX = {"approximately", "approx", "about", "around", "some", "nearly", "almost", "over",
           "more", "less", "than", "excess", "exceeding", "least", "up"}  # fmt: skip
_BEFORE_OK = {
    "a", "an", "the", "its", "their", "our", "group's", "company's", "entity's", "total",
    "group", "company", "consolidated", "and", "while", "whereas", "year", "period", "reported",
    "recorded", "incurred", "generated", "achieved", "made", "posted", "realised", "had", "with",
    "that", "all", "outstanding", "closing", "opening",
}  # fmt: skip
_GENERIC = {"other", "total", "additions", "disposals", "net", "balance", "closing", "opening"}
_WORD = re.compile(r"[a-z']+")
# A sentence about a breakdown (segments, one subsidiary, "respectively") states figures for parts
# that no statement line carries; its figures are counted but not checked.
_BREAKDOWN = re.compile(
    r"\b(segments?|divisions?|of which|respectively|business units?|subsidiar(y|ies)|regions?"
    r"|countr(y|ies)|geographic|each)\b"
)
_FORWARD_CHANGE = re.compile(
    r"^\s*(increase|decrease|rise|fall|growth|decline|reduction|drop)\s+in\s+(the\s+)?(group's\s+|company's\s+)?"
)


@dataclass(frozen=True, slots=True)
class Term:
    phrase: str
    concept: str | None  # a concept from text_match.CONCEPTS, or None for a plain row label
    label: str | None


@dataclass(frozen=True, slots=True)
class Claim:
    mention: Mention
    term: Term
    kind: str  # "level" | "change_pct" | "change_abs"
    year: int
    direction: int = 0  # +1 increase, -1 decrease (changes only)


def check_narrative(ctx: LogicContext) -> None:
    terms = _terms(ctx)
    for paragraph in ctx.document.paragraphs:
        for sentence in sentences(paragraph.text):
            _check_sentence(ctx, paragraph, sentence.text, terms)


def _terms(ctx: LogicContext) -> list[Term]:
    terms = {p: Term(p, c, None) for c, ps in NARRATIVE_TERMS.items() for p in ps}
    for table in ctx.document.tables:
        if not ctx.facts.columns[table.id]:
            continue
        for row in table.rows:
            if row.kind in (RowKind.HEADING, RowKind.SPACER):
                continue
            key = label_key(row)
            if len(key) < 5 or key in _GENERIC or key in terms:
                continue
            concept = concept_of(key)
            if concept is None and not _words(key):
                continue  # "Continued operations" under EPS names nothing on its own
            terms[key] = Term(key, concept, None if concept else key)
            for variant in _number_variants(key):  # "impairments" in a table, "impairment" in text
                terms.setdefault(variant, Term(variant, concept, None if concept else key))
    return sorted(terms.values(), key=lambda t: -len(t.phrase))


def _number_variants(key: str) -> list[str]:
    """The label with its last word in the other grammatical number."""
    head, _, last = key.rpartition(" ")
    if len(last) < 5 or not last.isalpha():
        return []
    other = last[:-1] if last.endswith("s") and not last.endswith("ss") else last + "s"
    return [f"{head} {other}".strip()]


def _lower(text: str) -> str:
    low = text.replace("\u00a0", " ").replace("\u2019", "'").replace("\u2013", "-").lower()
    return low if len(low) == len(text) else text.replace("\u00a0", " ")


def _find_terms(low: str, terms: list[Term]) -> list[tuple[int, int, Term]]:
    """Term occurrences, longest first, not overlapping, each preceded by an allowed word."""
    taken: list[tuple[int, int, Term]] = []
    for term in terms:
        for m in re.finditer(rf"(?<![a-z0-9'-]){re.escape(term.phrase)}(?![a-z-])", low):
            s, e = m.start(), m.end()
            if any(s < te and ts < e for ts, te, _ in taken):
                continue
            head = low[:s].rstrip()
            prev = _WORD.findall(head[-30:])
            if head and head[-1].isalpha() and prev and prev[-1] not in _BEFORE_OK:
                continue
            taken.append((s, e, term))
    return sorted(taken, key=lambda x: x[0])


_COMPARISON = re.compile(
    r"\b(compared|as against|against|versus|vs|prior year|previous year|last year)\b"
)


def _year_marks(low: str, ms: list[Mention], facts: Facts) -> list[tuple[int, int]]:
    """(offset, year) of each year or date in the sentence, comparatives "(2023:" left out."""
    marks = [
        (m.start, int(m.number))
        for m in ms
        if m.kind == "year" and not low[m.end :].lstrip().startswith(":")
    ]
    rd = facts.reporting_date
    for d in find_dates(low):
        y = d.value.year
        if rd and rd.month == 12 and (d.value.month, d.value.day) == (1, 1):
            y -= 1  # "at 1 January 2024" is the 2023 closing balance
        if not low[d.end :].lstrip().startswith(":"):
            marks.append((d.start, y))
    return sorted(marks)


def _years_for(
    low: str, ms: list[Mention], marks: list[tuple[int, int]], current: int | None
) -> dict[int, int | None]:
    """The period each figure is for, by the figure's offset.

    A year right after the figure ("12.4 million in 2023") wins; then a year between it and the
    previous figure, unless a comparison word sits there ("X as against Y"): then the year before
    the previous figure's. A figure tied to no year is for the current period.
    """
    figures = [m for m in ms if m.kind != "year"]
    out: dict[int, int | None] = {}
    prev_end, prev_year = 0, None
    for i, m in enumerate(figures):
        nxt = figures[i + 1].start if i + 1 < len(figures) else len(low)
        after = [y for pos, y in marks if m.end <= pos < min(nxt, m.end + 45)]
        before = [y for pos, y in marks if prev_end <= pos < m.start]
        year: int | None
        if m.comparative_year:
            year = m.comparative_year
        elif after:
            year = after[0]
        elif prev_year is not None and _COMPARISON.search(low[prev_end : m.start]):
            year = prev_year - 1
        elif before:
            year = before[-1]
        else:
            year = prev_year if prev_year is not None and i > 0 else current
        out[m.start] = year
        prev_end = m.end
        if not m.comparative_year:
            prev_year = year
    return out


def _check_sentence(
    ctx: LogicContext, paragraph: Paragraph, sentence: str, terms: list[Term]
) -> None:
    low = _lower(sentence)
    ms = mentions(sentence)
    candidates = [m for m in ms if m.money_like or m.kind == "percent"]
    if not candidates:
        return
    found = _find_terms(low, terms)
    phrases = [t[2].phrase for t in found]
    if _BREAKDOWN.search(low) or len(phrases) != len(set(phrases)):
        found = []  # figures for parts of a line: counted below, never checked
    years = _years_for(low, ms, _year_marks(low, ms, ctx.facts), ctx.facts.current_year)
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
            words = _connector_words(low[start : m.start])
            claim = _classify(m, term[2], words, years.get(m.start), previous_from, last_direction)
            previous_from = bool(words) and words is not None and words[-1] == "from"
        if claim is None and m.kind == "percent":
            claim = _forward_change(low, m, found, years.get(m.start))
        if m.money_like or claim is not None:
            ctx.claims_found += 1
        if claim is None:
            if m.money_like:
                ctx.skipped(CHECK)
            continue
        chain, chain_end = term, m.end
        last_direction = claim.direction or last_direction
        _evaluate(ctx, paragraph, sentence, claim)


def _connector_words(between: str) -> list[str] | None:
    """The words tying a term to its figure, or None when anything else stands between."""
    if ";" in between or len(between) > 90:
        return None
    cleaned = re.sub(r"\(\s*(19|20)\d\d\s*:\s*", " ", between)
    for d in find_dates(cleaned):
        cleaned = cleaned.replace(d.text, " ")
    cleaned = re.sub(r"\b(19|20)\d\d\b", " ", cleaned)
    cleaned = re.sub(CURRENCY_TOKEN, " ", cleaned, flags=re.I)
    if re.search(r"\d", cleaned):
        return None
    words = _WORD.findall(cleaned)
    if any(w in _APPROX for w in words):
        return None
    if not all(w in _CONNECT for w in words):
        return None
    return words


def _classify(
    m: Mention,
    term: Term,
    words: list[str] | None,
    year: int | None,
    previous_from: bool,
    inherited: int = 0,
) -> Claim | None:
    if words is None:
        return None
    direction = 1 if any(w in _UP for w in words) else (-1 if any(w in _DOWN for w in words) else 0)
    if not direction and words == ["by"]:
        direction = inherited  # "cost of sales rose by 20% and distribution costs by 15%"
    last = words[-1] if words else ""
    if year is None:
        return None
    if m.kind == "percent":
        if direction and last in {
            "by",
            "increased",
            "decreased",
            "rose",
            "fell",
            "grew",
            "declined",
            "up",
            "down",
        }:
            return Claim(m, term, "change_pct", year, direction)
        return None
    if direction and last == "by":
        return Claim(m, term, "change_abs", year, direction)
    if last == "from" and direction:
        return Claim(m, term, "level", year - 1)
    if previous_from and last == "to":
        return Claim(m, term, "level", year)
    if direction and last != "to":
        return None
    return Claim(m, term, "level", year)


def _forward_change(
    low: str, m: Mention, found: list[tuple[int, int, Term]], year: int | None
) -> Claim | None:
    """ "a 6% decrease in revenue": the figure comes before its item."""
    fm = _FORWARD_CHANGE.match(low[m.end :])
    if not fm or year is None:
        return None
    at = m.end + fm.end()
    term = next((t for t in found if t[0] == at), None)
    if term is None:
        return None
    word = fm.group(1)
    direction = 1 if word in _UP or word in {"rise", "growth"} else -1
    return Claim(m, term[2], "change_pct", year, direction)


def _lines(ctx: LogicContext, term: Term) -> list[tuple[Table, Row]]:
    if term.concept:
        return [tr for tr in ctx.facts.concepts.get(term.concept, [])]
    return [(t, r) for t in ctx.document.tables for r in t.rows if label_key(r) == term.label]


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

    Period tables have a column per year. A statement of changes in equity has rows per year
    instead: a movement row belongs to the year whose closing balance row follows it, and its
    figure is read from the total column.
    """
    by_year = ctx.facts.columns[table.id]
    if by_year:
        return {y: cols[0] for y, cols in by_year.items()}
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
        if claim.direction and diff * claim.direction < 0:
            return False
        return any(
            abs(v - abs(diff) * table.scale) <= hw + table.scale + 1e-6 * abs(v)
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


_VAGUE_WORDS = {
    "total",
    "other",
    "from",
    "with",
    "year",
    "period",
    "balance",
    "continued",
    "operation",
}
# Words too common to tie a figure to a line ("loss" is on half the lines of a loss-maker).
_COMMON_WORDS = _VAGUE_WORDS | {
    "loss", "profit", "income", "charge", "cost", "expense", "amount", "after", "before",
}  # fmt: skip


def _words(text: str, ignore: set[str] = _VAGUE_WORDS) -> set[str]:
    out = set()
    for w in re.findall(r"[a-z]{4,}", text.lower()):
        w = w[:-1] if w.endswith("s") and not w.endswith("ss") else w
        if w not in ignore:
            out.add(w)
    return out


def _anywhere(ctx: LogicContext, m: Mention, claim: Claim, lines: list[tuple[Table, Row]]) -> bool:
    """Whether the written figure equals a printed cell on a line about the same thing.

    The sentence may be about a narrower or related line than the one its words picked (a loan
    "repaid" is the cash-flow line, not the balance): a cell whose label shares a word with the
    item, or with the item's own lines, explains the figure. A cell on an unrelated line does not.
    """
    related = _words(claim.term.phrase, _COMMON_WORDS)
    related |= {w for _t, r in lines for w in _words(r.label, _COMMON_WORDS)}
    if claim.term.concept:
        phrases = NARRATIVE_TERMS.get(claim.term.concept, ())
        related |= {w for p in phrases for w in _words(p, _COMMON_WORDS)}
    for table in ctx.document.tables:
        for row in table.rows:
            if not _words(row.label, _COMMON_WORDS) & related:
                continue
            for cell in row.cells:
                if cell.value is not None and not cell.percent and _abs_match(m, table, cell.value):
                    return True
    return False
