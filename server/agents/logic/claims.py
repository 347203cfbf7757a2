"""Claims in prose: which figure in a sentence is about which line item and period.

A figure is tied to an item only by plain connecting words ("Revenue decreased by 6% to EUR 12.4
million"); its period is the year written next to it, else the current one. Anything looser is
left unclaimed, so the narrative check counts it but never guesses.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from server.agents.logic.base import Facts, LogicContext, label_key
from server.agents.logic.mentions import CURRENCY_TOKEN, Mention
from server.agents.vocabulary import NARRATIVE_TERMS, concept_of
from server.ingest.document import RowKind
from server.text.dates import MONTHS, find_dates
from server.text.labels import normalise_label

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
    "company", "against", "versus", "vs", "during", "raising", "raised", "completed", "thousand", "thousands", "million", "millions", "billion", "eur", "usd", "gbp",
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
BREAKDOWN = re.compile(
    r"\b(segments?|divisions?|of which|respectively|business units?|subsidiar(y|ies)|regions?"
    r"|countr(y|ies)|geographic|each)\b"
)
_FORWARD_CHANGE = re.compile(
    r"^\s*(increase|decrease|rise|fall|growth|decline|reduction|drop)\s+in\s+(the\s+)?(group's\s+|company's\s+)?"
)


@dataclass(frozen=True, slots=True)
class Term:
    phrase: str
    concept: str | None  # a concept from vocabulary.CONCEPTS, or None for a plain row label
    label: str | None
    column: tuple[str, int] | None = None  # (table id, column): a column total, e.g. "Adjustments"


@dataclass(frozen=True, slots=True)
class Claim:
    mention: Mention
    term: Term
    kind: str  # "level" | "change_pct" | "change_abs"
    year: int
    direction: int = 0  # +1 increase, -1 decrease (changes only)


def terms_for(ctx: LogicContext) -> list[Term]:
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
            if concept is None and not words(key):
                continue  # "Continued operations" under EPS names nothing on its own
            terms[key] = Term(key, concept, None if concept else key)
            for variant in _number_variants(key):  # "impairments" in a table, "impairment" in text
                terms.setdefault(variant, Term(variant, concept, None if concept else key))
    for term in _column_terms(ctx):
        terms.setdefault(term.phrase, term)
    return sorted(terms.values(), key=lambda t: -len(t.phrase))


_COLUMN_VAGUE = re.compile(r"\b(total|amount|value|number|level|note|carrying|gross|net)\b|\d|%")


def _column_terms(ctx: LogicContext) -> list[Term]:
    """Column headers of movement tables that end in a total row ("Adjustments" -> its total).

    Only tables without period columns: there a column is an item, and its total the year's.
    """
    out: list[Term] = []
    for table in ctx.document.tables:
        if ctx.facts.columns[table.id] or table.statement is not None:
            continue
        total = next(
            (
                r
                for r in reversed(table.rows)
                if r.kind is RowKind.TOTAL and label_key(r) in ("total", "")
            ),
            None,
        )
        if total is None:
            continue
        for col in table.amount_columns():
            key = normalise_label(col.header)
            if len(key) < 5 or _COLUMN_VAGUE.search(key) or not words(key):
                continue
            for phrase in (key, *_number_variants(key)):
                out.append(Term(phrase, None, None, (table.id, col.index)))
    return out


def _number_variants(key: str) -> list[str]:
    """The label with its last word in the other grammatical number."""
    head, _, last = key.rpartition(" ")
    if len(last) < 5 or not last.isalpha():
        return []
    other = last[:-1] if last.endswith("s") and not last.endswith("ss") else last + "s"
    return [f"{head} {other}".strip()]


def lower(text: str) -> str:
    low = text.replace("\u00a0", " ").replace("\u2019", "'").replace("\u2013", "-").lower()
    return low if len(low) == len(text) else text.replace("\u00a0", " ")


@lru_cache(maxsize=8192)
def _term_pattern(phrase: str) -> re.Pattern[str]:
    """Compiled once per phrase: a report's tables give thousands of terms, more than the re
    module's own cache holds, and recompiling them for every sentence cost minutes."""
    return re.compile(rf"(?<![a-z0-9'-]){re.escape(phrase)}(?![a-z-])")


def find_terms(low: str, terms: list[Term]) -> list[tuple[int, int, Term]]:
    """Term occurrences, longest first, not overlapping, each preceded by an allowed word."""
    taken: list[tuple[int, int, Term]] = []
    for term in terms:
        for m in _term_pattern(term.phrase).finditer(low):
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


# "improved by $11.1 billion compared with 2021", "$5.0 million higher than December 31, 2023":
# the year after the figure is the one it is compared against, not its own.
_THAN = re.compile(r"\b(compared|against|versus|vs|than|over)\b")

_MONTH_YEAR = re.compile(rf"\b({'|'.join(sorted(MONTHS, key=len, reverse=True))})\.?,?\s+$")


def fiscal_year(day: date, rd: date | None) -> int:
    """The financial year (named by the year it ends in) that a date falls in."""
    if rd is None:
        return day.year
    year = rd.year
    while day <= _same_day(rd, year - 1):
        year -= 1
    while day > _same_day(rd, year):
        year += 1
    return year


def _same_day(rd: date, year: int) -> date:
    try:
        return rd.replace(year=year)
    except ValueError:  # 29 February
        return rd.replace(year=year, day=28)


def year_marks(low: str, ms: list[Mention], facts: Facts) -> list[tuple[int, int]]:
    """(offset, financial year) of each year or date in the sentence, comparatives left out.

    A full date or a month and year ("April 2023") is mapped to the financial year it falls in,
    so for a March year end April 2023 belongs to 2024; the day after a year end ("at 1 January
    2024") is the closing balance of the year before.
    """
    rd = facts.reporting_date
    marks: list[tuple[int, int]] = []
    for m in ms:
        if m.kind != "year" or low[m.end :].lstrip().startswith(":"):
            continue
        month = _MONTH_YEAR.search(low[max(0, m.start - 12) : m.start])
        if month and rd is not None and rd.month != 12:
            day = date(int(m.number), MONTHS[month.group(1)], 15)
            marks.append((m.start, fiscal_year(day, rd)))
        else:
            marks.append((m.start, int(m.number)))
    for d in find_dates(low):
        if low[d.end :].lstrip().startswith(":"):
            continue
        day = d.value
        before = day - timedelta(days=1)
        if rd and (before.month, before.day) == (rd.month, rd.day):
            day = before  # "at 1 January 2024" is the 2023 closing balance
        marks.append((d.start, fiscal_year(day, rd)))
    return sorted(marks)


def years_for(
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
        after = [
            y
            for pos, y in marks
            if m.end <= pos < min(nxt, m.end + 45) and not _THAN.search(low[m.end : pos])
        ]
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


# "bank accounts, cash held on call and fixed deposit accounts were": the parts of cash.
CASH_PARTS = {
    "bank", "accounts", "account", "held", "call", "fixed", "deposit", "deposits", "short",
    "term", "balances", "hand", "current", "money", "market", "funds", "on", "and", "in", "at",
}  # fmt: skip


def connector_words(between: str, extra: AbstractSet[str] = frozenset()) -> list[str] | None:
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
    if not all(w in _CONNECT or w in extra for w in words):
        return None
    return words


def classify(
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
    if last == "by":
        # "exceeded our recorded liabilities by", "offset by": no stated direction, no claim
        return Claim(m, term, "change_abs", year, direction) if direction else None
    if last == "from" and direction:
        return Claim(m, term, "level", year - 1)
    if previous_from and last == "to":
        return Claim(m, term, "level", year)
    if direction and last != "to":
        return None
    return Claim(m, term, "level", year)


def forward_change(
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
COMMON_WORDS = _VAGUE_WORDS | {
    "loss", "profit", "income", "charge", "cost", "expense", "amount", "after", "before",
}  # fmt: skip


def words(text: str, ignore: set[str] = _VAGUE_WORDS) -> set[str]:
    out = set()
    for w in re.findall(r"[a-z]{4,}", text.lower()):
        w = w[:-1] if w.endswith("s") and not w.endswith("ss") else w
        if w not in ignore:
            out.add(w)
    return out
