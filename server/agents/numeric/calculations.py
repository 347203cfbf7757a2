"""The filer's own calculation linkbase as a check, and how far our inferred totals agree with it.

Runs when the document carries calculation relationships (`Document.calculations`: an inline-XBRL
report package with its `_cal.xml`). `calculation_results` tests every summation in every context
where the total and all its items are reported (same unit): Calculations 1.1 reads each reported
value as the interval its `decimals` allow ([v - 10^-d / 2, v + 10^-d / 2]) and a total is
consistent when its interval meets the weighted sum of its items' intervals. A context where
some item is missing, or a figure has inconsistent duplicates, is a counted skip, never a guess;
a context where no item is reported at all is not a check (the relationship does not bind there).

`check_calculations` turns the results into checks: each inconsistent relationship is a finding
naming the concepts and the context's period, located at the printed total and its items. When
a printed row of the total's table that the relationship leaves out accounts for the difference
(the filer's linkbase omits a line its own table adds), the finding says so and is low severity:
the figures add up; the linkbase is incomplete.

`structure_agreement` compares each relationship with the structure the reader inferred for the
table that shows it: the total's row should sum exactly the items' rows, with the same signs
once the printed signs are accounted for (the linkbase adds values as tagged, the printed
statement adds figures as shown: "Cost of sales (1,000)" is weight -1 on a positive fact, and +1
on the printed negative figure). The summary reports the counts (`NumericSummary.calculations`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from generated.models import LinkbaseAgreement, NumericCheck, Severity
from server.agents.numeric.ledger import Cells, Ledger
from server.ingest.document import Calculation, Cell, Document, Fact, Row, RowKind, Table

_EPSILON = 1e-6


@dataclass(frozen=True, slots=True)
class CalculationResult:
    """One summation in one context: consistent, inconsistent, or skipped (with the reason)."""

    role: str
    parent: str
    context: str
    status: str  # "consistent" | "inconsistent" | "skipped" | "unbound"
    reason: str | None = None  # why skipped: "incomplete", "duplicates", "no value"
    period_end: str | None = None
    period_start: str | None = None
    dimensional: bool = False
    unit: str | None = None
    actual: float | None = None  # the reported total
    expected: float | None = None  # the weighted sum of the reported items
    difference: float | None = None
    tolerance: float | None = None  # how far apart they may be, from the decimals
    items: tuple[tuple[str, float, float], ...] = ()  # (concept, weight, value)
    location: tuple[str, int, int] | None = None  # (table id, row, column) of the total


@dataclass(slots=True)
class Agreement:
    """Linkbase relationships against the totals `structure` inferred, by outcome."""

    agree: int = 0
    disagree: int = 0  # a total with other rows (or other signs) than the linkbase says
    missed: int = 0  # the total's row is shown with its items, but no total was inferred
    not_shown: int = 0  # the total and its items are not rows of one table
    extra: int = 0  # inferred totals of tagged rows that no relationship declares
    details: list[tuple[str, str, str]] = field(default_factory=list)  # (outcome, role, parent)

    def as_dict(self) -> dict[str, int]:
        return {
            "agree": self.agree,
            "disagree": self.disagree,
            "missed": self.missed,
            "not_shown": self.not_shown,
            "extra": self.extra,
        }


# ------------------------------------------------------------------------------ the check


def check_calculations(document: Document, ledger: Ledger) -> LinkbaseAgreement | None:
    """Every linkbase relationship as a check; the agreement with the inferred structure."""
    if not document.calculations:
        return None
    tables = {t.id: t for t in document.tables}
    where = _locations(document)
    for result in calculation_results(document):
        if result.status == "consistent":
            ledger.passes(NumericCheck.calculation, 0.0, 0.0)
        elif result.status == "skipped":
            ledger.skip(NumericCheck.calculation)
        elif result.status == "inconsistent":
            _report(result, tables, where, ledger)
    agreement = structure_agreement(document)
    return LinkbaseAgreement(
        agree=agreement.agree,
        disagree=agreement.disagree,
        missed=agreement.missed,
        not_shown=agreement.not_shown,
        extra=agreement.extra,
    )


def _local(concept: str) -> str:
    return concept.split(":", 1)[-1]


def _report(
    result: CalculationResult,
    tables: dict[str, Table],
    where: dict[tuple[str, str], tuple[str, int, int]],
    ledger: Ledger,
) -> None:
    if result.location is None or result.location[0] not in tables:
        ledger.skip(NumericCheck.calculation)  # the total is printed in no table: nowhere to point
        return
    table_id, row_index, column = result.location
    table = tables[table_id]
    row = table.rows[row_index]
    cell = row.cells[column]
    assert cell.fact is not None and result.actual is not None and result.expected is not None
    factor = 10.0**-cell.fact.scale
    sign = -1.0 if cell.value is not None and (cell.value < 0) != (result.actual < 0) else 1.0
    actual, expected = sign * result.actual * factor, sign * result.expected * factor
    locations = [Cells(table, [(row_index, column)])]
    for concept, _, _ in result.items:
        at = where.get((concept, result.context))
        if at is not None and at[0] in tables:
            if locations[-1].table is not tables[at[0]]:
                locations.append(Cells(tables[at[0]], []))
            locations[-1].cells.append((at[1], at[2]))
    omitted = _omitted_line(result, table, column, actual - expected)
    items = "".join(
        f"{'−' if w < 0 else ''}{_local(c)}" if n == 0 else f" {'−' if w < 0 else '+'} {_local(c)}"
        for n, (c, w, _) in enumerate(result.items)
    )
    period = _period(result)
    detail = (
        f"The filer's calculation linkbase says {_local(result.parent)} = {items} "
        f"(role {result.role.rsplit('/', 1)[-1]}, context {result.context}); the tagged values "
        f"do not add up within their rounding."
    )
    if omitted is not None:
        detail += (
            f" The printed table adds '{omitted.label.strip()}' "
            f"({omitted.cells[column].text.strip()}), which the relationship leaves out and "
            f"which accounts for the difference: the figures add up, the linkbase is incomplete."
        )
    ledger.compare(
        NumericCheck.calculation,
        actual=actual,
        expected=expected,
        tolerance=(result.tolerance or 0.0) * factor + _EPSILON,
        table=table,
        row=row_index,
        period=period,
        title=f"{_local(result.parent)} does not equal the sum of its linkbase items ({period})",
        detail=detail,
        locations=locations,
        key=(column, result.context),
        scale=table.scale_label,
        most_severe=Severity.low if omitted is not None else Severity.high,
    )


def _period(result: CalculationResult) -> str:
    if result.period_start and result.period_start != result.period_end:
        return f"{result.period_start} to {result.period_end}"
    return f"at {result.period_end}" if result.period_end else result.context


def _omitted_line(
    result: CalculationResult, table: Table, column: int, difference: float
) -> Row | None:
    """A printed row of the total's table, tagged with a concept the relationship does not list,
    whose figure is the difference (within the printed rounding)."""
    listed = {result.parent} | {c for c, _, _ in result.items}
    found = [
        row
        for row in table.rows
        for cell in [row.cells[column] if column < len(row.cells) else None]
        if cell is not None
        and _tagged_outside(cell, listed, result.context)
        and cell.value is not None
        and abs(abs(cell.value) - abs(difference)) <= (cell.unit or 1.0) / 2
    ]
    return found[0] if len(found) == 1 else None


def _tagged_outside(cell: Cell, listed: set[str], context: str) -> bool:
    fact = cell.fact
    return fact is not None and fact.concept not in listed and fact.context == context


def calculation_results(doc: Document) -> list[CalculationResult]:
    """Every linkbase summation tested in every context that reports its total."""
    facts = _by_concept_context_unit(doc.facts)
    where = _locations(doc)
    results: list[CalculationResult] = []
    for calc in _unique(doc.calculations):
        for (context, unit), parents in sorted(facts.get(calc.parent, {}).items()):
            results.append(_check_one(calc, context, unit, parents, facts, where))
    return results


def _check_one(
    calc: Calculation,
    context: str,
    unit: str | None,
    parents: list[Fact],
    facts: dict[str, dict[tuple[str, str | None], list[Fact]]],
    where: dict[tuple[str, str], tuple[str, int, int]],
) -> CalculationResult:
    first = parents[0]
    base = {
        "role": calc.role,
        "parent": calc.parent,
        "context": context,
        "period_end": first.period_end,
        "period_start": first.period_start,
        "dimensional": first.dimensional,
        "unit": unit,
        "location": where.get((calc.parent, context)),
    }
    parent = _deduplicate(parents)
    if parent is None:
        return CalculationResult(status="skipped", reason="duplicates", **base)  # type: ignore[arg-type]
    if parent.value is None:
        return CalculationResult(status="skipped", reason="no value", **base)  # type: ignore[arg-type]
    items: list[tuple[str, float, Fact]] = []
    if not any(facts.get(concept, {}).get((context, unit)) for concept, _ in calc.items):
        return CalculationResult(status="unbound", **base)  # type: ignore[arg-type]
    for concept, weight in calc.items:
        reported = facts.get(concept, {}).get((context, unit))
        if not reported:
            return CalculationResult(status="skipped", reason="incomplete", **base)  # type: ignore[arg-type]
        fact = _deduplicate(reported)
        if fact is None:
            return CalculationResult(status="skipped", reason="duplicates", **base)  # type: ignore[arg-type]
        if fact.value is None:
            return CalculationResult(status="skipped", reason="no value", **base)  # type: ignore[arg-type]
        items.append((concept, weight, fact))
    expected = sum(w * (f.value or 0.0) for _, w, f in items)
    tolerance = _half(parent) + sum(abs(w) * _half(f) for _, w, f in items)
    difference = parent.value - expected
    consistent = abs(difference) <= tolerance + _EPSILON * max(1.0, abs(parent.value))
    return CalculationResult(
        status="consistent" if consistent else "inconsistent",
        actual=parent.value,
        expected=expected,
        difference=difference,
        tolerance=tolerance,
        items=tuple((c, w, f.value or 0.0) for c, w, f in items),
        **base,  # type: ignore[arg-type]
    )


def _half(fact: Fact) -> float:
    """Half the rounding interval a reported value stands for (0 for INF decimals)."""
    return 0.0 if fact.decimals is None else 0.5 * 10.0 ** (-fact.decimals)


def _deduplicate(facts: list[Fact]) -> Fact | None:
    """One value for duplicates: the most precise when they agree within their rounding;
    None when they contradict each other (Calculations 1.1 does not bind those)."""
    if len(facts) == 1:
        return facts[0]
    values = [f for f in facts if f.value is not None]
    if not values:
        return facts[0]
    best = max(values, key=lambda f: float("inf") if f.decimals is None else f.decimals)
    for f in values:
        if abs((f.value or 0.0) - (best.value or 0.0)) > _half(f) + _half(best) + _EPSILON:
            return None
    return best


def _by_concept_context_unit(
    facts: list[Fact],
) -> dict[str, dict[tuple[str, str | None], list[Fact]]]:
    grouped: dict[str, dict[tuple[str, str | None], list[Fact]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for f in facts:
        grouped[f.concept][(f.context, f.unit)].append(f)
    return grouped


def _unique(calculations: list[Calculation]) -> list[Calculation]:
    """The same summation declared in two roles is one check."""
    seen: set[tuple[str, tuple[tuple[str, float], ...]]] = set()
    out: list[Calculation] = []
    for calc in calculations:
        key = (calc.parent, tuple(sorted(calc.items)))
        if key not in seen:
            seen.add(key)
            out.append(calc)
    return out


def _locations(doc: Document) -> dict[tuple[str, str], tuple[str, int, int]]:
    """Where each (concept, context) is first printed in a table."""
    where: dict[tuple[str, str], tuple[str, int, int]] = {}
    for table in doc.tables:
        for row in table.rows:
            for k, cell in enumerate(row.cells):
                if cell.fact is not None:
                    where.setdefault(
                        (cell.fact.concept, cell.fact.context), (table.id, row.index, k)
                    )
    return where


# ---------------------------------------------------------------- agreement with structure


def structure_agreement(doc: Document) -> Agreement:
    """How many linkbase relationships our inferred totals agree with, disagree with, miss."""
    result = Agreement()
    if not doc.calculations:
        return result
    concepts = {id(t): _row_concepts(t) for t in doc.tables}
    declared: set[str] = set()
    for calc in doc.calculations:
        declared.add(calc.parent)
        outcome = _compare(calc, doc.tables, concepts)
        setattr(result, outcome, getattr(result, outcome) + 1)
        result.details.append((outcome, calc.role, calc.parent))
    for table in doc.tables:
        rows = concepts[id(table)]
        for row in table.rows:
            concept = rows.get(row.index)
            if row.components and concept and concept not in declared:
                result.extra += 1
    return result


def _compare(calc: Calculation, tables: list[Table], concepts: dict[int, dict[int, str]]) -> str:
    best: tuple[Table, dict[str, int], int] | None = None
    for table in tables:
        rows = concepts[id(table)]
        by_concept = {c: r for r, c in sorted(rows.items(), reverse=True)}
        if calc.parent not in by_concept:
            continue
        shown = sum(1 for c, _ in calc.items if c in by_concept)
        if best is None or shown > best[2]:
            best = (table, by_concept, shown)
    if best is None or best[2] < len(calc.items):
        return "not_shown"
    table, by_concept, _ = best
    parent_row = table.rows[by_concept[calc.parent]]
    if not parent_row.components or parent_row.kind not in (RowKind.SUBTOTAL, RowKind.TOTAL):
        return "missed"
    ours = {r: s for r, s in parent_row.components}
    theirs = {by_concept[c]: w for c, w in calc.items}
    if set(ours) != set(theirs):
        return "disagree"
    p0 = _printed_sign(parent_row.cells)
    for r, weight in theirs.items():
        effective = ours[r] * _printed_sign(table.rows[r].cells) * p0
        if effective * weight < 0:
            return "disagree"
    return "agree"


def _row_concepts(table: Table) -> dict[int, str]:
    """Each tagged row's concept (the one most of its figures carry)."""
    rows: dict[int, str] = {}
    for row in table.rows:
        tagged = Counter(c.fact.concept for c in row.cells if c.fact is not None)
        if tagged:
            rows[row.index] = tagged.most_common(1)[0][0]
    return rows


def _printed_sign(cells: list) -> int:  # type: ignore[type-arg]
    """+1 when the row prints its tagged values with their own sign, -1 when it shows them
    negated ("(1,000)" for a positive cost); +1 when no figure tells."""
    for cell in cells:
        fact = cell.fact
        if fact is None or not fact.value or not cell.value:
            continue
        return 1 if (cell.value > 0) == (fact.value > 0) else -1
    return 1
