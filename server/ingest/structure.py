"""What a table's figures mean, inferred once when the document is read.

`infer_document_structure(document)` runs at the end of reading (server/ingest/assemble.py) and
sets everything the agents need on the document, so no agent ever infers structure itself:

- each cell's printed unit (`Cell.unit`), from the printed text ("3.0" is printed to 0.1) and
  the inline-XBRL tag's `decimals` when there is one;
- which columns and rows hold figures that never add up (`Column.additive`, `Row.additive`):
  averages, prices, rates, useful lives, percentages, per-share amounts, counts of shares or
  employees;
- which rows are totals, and which rows each sums (`Row.kind`, `Row.components`);
- which amount columns sum other columns (`Column.components`: a "Total" column);
- totals of a table continued across pages whose parts sit partly in the earlier part
  (`Row.chain_components`).

Precision beats recall here: an LLM auditor checking totals against the wrong rows produced
three false findings for every true one, so a structure is only accepted when the printed
figures confirm it, and otherwise left empty (the agent counts the check as skipped).

How a total is found (see /work/shared/notes/audit-checks.md, "Inferring what a total sums"):

- Candidates: labels that start like a total ("Total", "Net", "Gross profit", "Profit before
  tax", "Income before income taxes", "Operating expenses", "Cash flows from operating
  activities", "Balance at", "At 31 December 2024", "Carrying amount", "Cash and cash
  equivalents at", "Income tax expense"), rows in capitals, rows with figures but no label
  (strong candidates); the last row of a block and a row after a spacer (weak candidates:
  accepted only when every column adds up).
- Components: walking up from the candidate, each earlier row is a unit, except that an already
  confirmed total stands for all the rows it sums (so "Operating profit" sums "Gross profit" and
  the expense lines after it, and "Total assets" sums the two subtotals, not their items).
  Headings and spacer rows are skipped but mark natural block boundaries, as does a preceding
  total; "of which" lines and lines of figures that never add up are skipped and never
  components. Every prefix of the walk is a candidate block, once with printed signs and once
  with "less" semantics (cost, expense, fee and deduction lines printed positive are subtracted;
  never a balance such as a payable, nor a label that states its sign, "credit/(charge)").
- Confirmation: a block explains a column when the printed total lies within the Calculations
  1.1 interval tolerance, (n + 1) * u / 2 for n printed (non-nil) components of unit u; a
  column where all is nil proves nothing, and a nil cell is never a part. A block of one row
  explains a column only when it prints the very same figure: a single-line section is its own
  subtotal, never a coincidence of small figures. A block that explains every column is
  accepted (the one whose sums come closest to the printed totals, when several do). A block
  that explains only some columns is accepted only if it spans two or more units, ends at a
  natural boundary, fails in a single column (one misprinted figure; a structure failing in
  several columns is the wrong structure), no other block explains a column it does not, and
  it adds up with two or more non-zero parts somewhere (in two-column tables, one agreeing
  column suffices); the failing column then becomes a finding. In a table with a single figure
  column, where nothing can confirm, a "Total ..." row over a cleanly delimited block of items,
  or a closing balance over an opening balance and its movements, is accepted as printed.
  Everything else is left unexplained.

Statements of changes in equity (and note tables with a "Total" column) also sum across: the
same walk over the additive amount columns, confirmed by the rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from server.ingest.document import Cell, Column, ColumnRole, Document, Row, RowKind, Table
from server.text.labels import normalise_label
from server.text.rounding import coarsest, printed_unit, tag_unit, tolerance

MAX_UNITS = 60  # how far up a walk looks; real blocks are far shorter
EXACT = 1e-9  # "the very same figure", relative to the printed unit


_TOTAL_LABEL = re.compile(
    r"^(total\b|sub-?total\b|net\b|gross (profit|loss|margin)|"
    r"((group|consolidated) )?(profit|loss|result|earnings)\b(?! on\b| from sale| from disposal)|"
    r"(income|earnings|loss)( \((loss|income)\))?( from continuing operations)?,? before\b|"
    r"(income|loss)( \((loss|income)\))? from operations\b|comprehensive (income|loss)\b|"
    r"operating (profit|loss|result|income|costs|expenses)|total operating|"
    r"cash flows? .*activities$|(net )?(increase|decrease|change)\b.* in cash\b|"
    r"((income|current|deferred) )?tax (expense|charge|credit)\b|effective tax\b|"
    r"(balance|balances|carrying amount|net book value|cost|gross carrying amount)"
    r"\s*(at|as at|as of|on)\b|"
    r"(at|as at|as of)\s+\d|(at|as at) (the )?(beginning|end|start) of|"
    r"(opening|closing) (balance|carrying|net book)|balances?, (end|beginning|start) of|"
    r"carrying amounts?\b|net book values?\b|"
    r"cash and cash equivalents,? (at|as at|as of|end|beginning|closing|opening)|"
    r"cash generated (from|by|used in)|cash (used in|from) operations|"
    r"equity attributable|other comprehensive (income|loss) for|"
    r"other comprehensive (income|loss),? net of)"
)
_ASIDE = re.compile(r"^[-–\s]*(of which|thereof|hereof|including|incl\.|comprising)\b")
_STRONG_TOTAL = re.compile(r"^(total\b|sub-?total\b)")
_OPENING_LABEL = re.compile(
    r"^(balance |balances )?(at|as at|as of|on) (1|01) [a-z]+|"
    r"^(balance )?(at|as at) (the )?(beginning|start) of|^balances?, (beginning|start) of|"
    r"^opening\b|brought forward"
)
_CLOSING_LABEL = re.compile(
    r"^(balance |balances )?(at|as at|as of|on) (2[89]|3[01]) [a-z]+|"
    r"^(balance )?(at|as at) (the )?end of|^balances?, end of|^closing\b|carried forward"
)
_EXPENSE_LABEL = re.compile(
    r"\b(costs?|expenses?|depreciation|amortisation|amortization|impairment|tax|taxation|"
    r"losses|less|dividends?|paid|purchases?|acquisitions?|repayments?|distribution|"
    r"administrative|selling|allowance|accumulated|outflows?|payments?|withdrawals?|"
    r"disposals?|utili[sz]ed|used|reversed|written off|write-offs?|charges?)\b"
)
_SIGNED_LABEL = re.compile(r"\)\s*/|/\s*\(")
_BALANCE_ITEM = re.compile(
    r"\b(payables?|liabilit(y|ies)|receivables?|assets?|accruals?|creditors?|debtors?|"
    r"prepayments?|credit)\b"
)
_DEDUCTION = re.compile(r"^less\b|\b(allowance|impairment|provision for|accumulated)\b")
_FEES = re.compile(r"\bfees?\b")
_INCOME_WORDS = re.compile(r"\b(income|revenue|received|earned|receivable)\b")
_DEDUCTION_HEADING = re.compile(
    r"^(less\b|accumulated (depreciation|amortisation|amortization|impairment)|"
    r"(depreciation|amortisation|amortization|impairment)"
    r"( and (amortisation|amortization|impairment))?( losses?| charges?)?$)"
)
_NOT_EXPENSE = re.compile(
    r"^(profit|loss|result|earnings|gross)\b|^operating (profit|loss|result|income)|before tax"
    r"|before (provision for |benefit from )?(income )?tax|^(income|loss)( \((loss|income)\))? from"
    r" operations"
)


# Figures that never add up, by what a column header or a row label says they are. A row label
# is read without its parentheses, so "Dividends ($0.50 per share)" stays an amount.
_NON_ADDITIVE_HEADER = re.compile(
    r"\baverage\b|\bprices?\b|\brates?\b(?! swaps?)|\buseful li(fe|ves)\b|\b(remaining )?li(fe|ves)\b"
    r"|\(years?\)|\bin years\b|%|\bpercent(age)?\b|\bper (common |ordinary )?(share|unit|ads)\b"
    r"|\b(number|no\.) of\b|^(total )?(shares|options|units|securities|employees|headcount)\b"
    r"|\bin shares\b|\bratio\b|\byield\b|\bbasis points\b|\bmultiple\b"
)
_NON_ADDITIVE_ROW = re.compile(
    r"\baverage\b|\bper (common |ordinary )?(share|unit|ads)\b|\b(basic|diluted) eps\b|^eps\b"
    r"|\b(share|stock|exercise|strike|unit|offering|closing|market) price\b|\bprice (paid )?per\b"
    r"|\buseful li(fe|ves)\b|\bremaining (contractual )?li(fe|ves)\b|\bin years\b"
    r"|\b(number|no\.) of\b|^(average )?(headcount|employees)\b|^shares (used|outstanding)\b"
    r"|\bpercent(age)?\b|\bratio\b"
)
_PARENTHESES = re.compile(r"\([^()]*\)")
# A heading over per-share lines: "Earnings per common share:", "Basic EPS:"; the lines under it
# (basic, diluted, even the profit and share count of its reconciliation) are no parts of a sum.
_PER_SHARE_HEADING = re.compile(
    r"\bper (common |ordinary )?(share|unit|ads)\b|\beps\b|\bearnings per\b"
)
# A row whose label is itself an amount ("(20)", "1,234"): its figures were shifted out of their
# columns. Never a year or an item number ("2020", "3"): those label real rows.
_FIGURE_LABEL = re.compile(r"^\s*[$€£]?\s*(\(\s*[\d.,]+\s*\)|\d{1,3}(,\d{3})+(\.\d+)?)\s*$")
_FIGURE_BEFORE = re.compile(r"\d[^a-z]*per (common |ordinary )?share")


WEAK, STRONG = 1, 2  # candidate strength: weak ones (position only) need a full match


@dataclass(slots=True)
class _Lines:
    """A table seen as lines (rows, or columns) of figures across crosses (columns, or rows)."""

    labels: list[str]  # normalised
    signed: list[bool]  # the label says what its sign means ("credit/(charge)")
    values: list[list[float | None]]  # values[line][cross]
    nil: list[list[bool]]  # printed as a dash or "nil": seen, but never a part
    units: list[list[float]]  # 0.0 where no digit is printed
    is_break: list[bool]  # heading or spacer: skipped by walks, ends a natural block
    is_aside: list[bool]  # "of which ...": part of the line above, never a component itself
    is_blank: list[bool]  # no label at all
    candidate: list[int]  # 0, WEAK or STRONG


@dataclass(slots=True)
class _Block:
    units: list[int]
    signs: list[int]
    matched: frozenset[int]  # crosses the block explains
    evidence: frozenset[int]  # matched crosses where two or more components are non-zero
    mismatched: frozenset[int]  # crosses where it does not (all-nil crosses are neither)
    sums: list[float | None]
    natural: bool
    residual: float  # how far its sums are from the printed totals it explains, in units


def infer_document_structure(document: Document) -> None:
    """Everything agents read about structure, on every table of `document`, in place."""
    for table in document.tables:
        infer_structure(table)
    _continued_structure(document)


def infer_structure(table: Table) -> None:
    """Units, additivity, row kinds and components, and column totals of one table, in place."""
    _units(table)
    _additivity(table)
    amount = [c.index for c in table.columns if c.role is ColumnRole.AMOUNT]
    label_col = table.label_column()
    for row in table.rows:
        row.components = []
        row.chain_components = []
        has_label = bool(row.label.strip())
        has_figures = any(row.value(c) is not None for c in amount)
        if not has_figures:
            row.kind = RowKind.HEADING if has_label else RowKind.SPACER
        else:
            row.kind = RowKind.ITEM
    for column in table.columns:
        column.components = []
    if not amount:
        return
    lines = _row_lines(table, amount, label_col)
    confirmed = _infer(lines)
    used: set[int] = {i for comps in confirmed.values() for i, _ in comps}
    for i, row in enumerate(table.rows):
        if i in confirmed:
            row.components = confirmed[i]
            row.kind = RowKind.SUBTOTAL if i in used else RowKind.TOTAL
        elif (
            row.kind is RowKind.ITEM
            and row.additive
            and (_STRONG_TOTAL.match(lines.labels[i]) or lines.is_blank[i])
        ):
            row.kind = RowKind.TOTAL  # looks like a total, but nothing explains it: skipped
    for index, comps in _column_structure(table).items():
        table.columns[index].components = comps


def figure(row: Row, column: int, table: Table | None = None) -> float | None:
    """A cell's amount as a part or total of a sum, or None when it is empty, not a number, a
    percentage, or in a row or column of figures that never add up."""
    if column >= len(row.cells) or row.cells[column].percent or not row.additive:
        return None
    if table is not None and column < len(table.columns) and not table.columns[column].additive:
        return None
    return row.value(column)


def _units(table: Table) -> None:
    for row in table.rows:
        for cell in row.cells:
            cell.unit = _cell_unit(cell)


def _cell_unit(cell: Cell) -> float | None:
    printed = printed_unit(cell.text, cell.value)
    fact = cell.fact
    if fact is None or printed is None:
        return printed
    return coarsest(printed, tag_unit(fact.decimals, fact.scale))


def _additivity(table: Table) -> None:
    """Columns and rows of figures that never add up: they are neither totals nor parts."""
    for column in table.columns:
        column.additive = column.role is not ColumnRole.AMOUNT or not (
            _NON_ADDITIVE_HEADER.search(normalise_label(column.header))
            or _percent_column(table, column)
        )
    amount = [c.index for c in table.columns if c.role is ColumnRole.AMOUNT]
    whole = _mostly_whole(table, amount)
    heading: str | None = None  # the last heading above: "Earnings per common share:"
    for row in table.rows:
        printed = [row.cells[c] for c in amount if c < len(row.cells)]
        figures = [c for c in printed if c.value is not None and not c.nil]
        if not any(c.value is not None for c in printed):
            heading = row.label if row.label.strip() else None  # a spacer ends the section
        row.additive = not (
            _non_additive_label(row.label)
            or (heading is not None and _PER_SHARE_HEADING.search(normalise_label(heading)))
            or _FIGURE_LABEL.match(row.label)
            or (whole and figures and all((c.unit or 1.0) <= 0.01 for c in figures))
        )


def _mostly_whole(table: Table, amount: list[int]) -> bool:
    """Most figures of the table are whole numbers: one printed in cents is a per-share amount
    or a rate ("Basic $1.56" under a year of millions), never a part of a sum of them."""
    units = [
        c.unit
        for r in table.rows
        for c in (r.cells[k] for k in amount if k < len(r.cells))
        if c.unit is not None
    ]
    return len(units) >= 4 and 2 * sum(u >= 1.0 for u in units) > len(units)


def _non_additive_label(label: str) -> bool:
    s = normalise_label(label)
    if _FIGURE_BEFORE.search(s):
        return False  # "dividends, $0.94 per share": an amount, with its rate beside it
    return bool(_NON_ADDITIVE_ROW.search(_PARENTHESES.sub(" ", s)))


def _percent_column(table: Table, column: Column) -> bool:
    """A column of percentages, its "%" printed on the first figure only ("7.1 %", then (4.8)),
    or on most of them."""
    cells = [
        r.cells[column.index]
        for r in table.rows
        if column.index < len(r.cells) and r.cells[column.index].value is not None
    ]
    if not cells:
        return False
    first = next((c for c in cells if not c.nil), cells[0])
    return first.percent or 2 * sum(c.percent for c in cells) >= len(cells)


def _column_structure(table: Table) -> dict[int, list[tuple[int, int]]]:
    """Amount columns that sum other amount columns (a "Total" column), confirmed by the rows.

    Keys and component indices are `Column.index` values.
    """
    amount = [c for c in table.columns if c.role is ColumnRole.AMOUNT and c.additive]
    if len(amount) < 3:
        return {}
    rows = [
        r
        for r in table.rows
        if r.additive and any(figure(r, c.index, table) is not None for c in amount)
    ]
    if not rows:
        return {}
    labels = [normalise_label(c.header) for c in amount]
    lines = _Lines(
        labels=labels,
        signed=[bool(_SIGNED_LABEL.search(c.header)) for c in amount],
        values=[[figure(r, c.index, table) for r in rows] for c in amount],
        nil=[[_nil(r, c.index) for r in rows] for c in amount],
        units=[[_unit(r, c.index) for r in rows] for c in amount],
        is_break=[False] * len(amount),
        is_aside=[False] * len(amount),
        is_blank=[not lab for lab in labels],
        candidate=[STRONG if re.search(r"\btotal\b", lab) else 0 for lab in labels],
    )
    found = _infer(lines)
    return {
        amount[i].index: [(amount[j].index, sign) for j, sign in comps]
        for i, comps in found.items()
    }


def _unit(row: Row, column: int) -> float:
    return (row.cells[column].unit or 0.0) if column < len(row.cells) else 0.0


def _nil(row: Row, column: int) -> bool:
    return column < len(row.cells) and row.cells[column].nil


def _row_lines(table: Table, amount: list[int], label_col: int) -> _Lines:
    labels = [normalise_label(r.label) for r in table.rows]
    is_break = [r.kind in (RowKind.HEADING, RowKind.SPACER) for r in table.rows]
    values = [[figure(r, c, table) for c in amount] for r in table.rows]
    n = len(table.rows)
    candidate: list[int] = []
    for i, (row, label) in enumerate(zip(table.rows, labels, strict=True)):
        if row.kind is not RowKind.ITEM or _ASIDE.match(label) or all(v is None for v in values[i]):
            candidate.append(0)
        elif (
            not label
            or _TOTAL_LABEL.match(label)
            or (row.label.isupper() and any(ch.isalpha() for ch in row.label))
        ):
            candidate.append(STRONG)
        elif (i > 0 and table.rows[i - 1].kind is RowKind.SPACER) or (
            i >= 2 and (i + 1 == n or is_break[i + 1]) and not is_break[i - 1]
        ):
            candidate.append(WEAK)  # after a spacer, or closing a block
        else:
            candidate.append(0)
    return _Lines(
        labels=labels,
        signed=[bool(_SIGNED_LABEL.search(r.label)) for r in table.rows],
        values=values,
        nil=[[_nil(r, c) for c in amount] for r in table.rows],
        units=[[_unit(r, c) for c in amount] for r in table.rows],
        is_break=is_break,
        # "of which" lines, and lines of rates or prices only, sit inside a block but never add
        # to it
        is_aside=[
            bool(_ASIDE.match(lab)) or (not brk and all(v is None for v in vals))
            for lab, brk, vals in zip(labels, is_break, values, strict=True)
        ],
        is_blank=[not lab for lab in labels],
        candidate=candidate,
    )


def _infer(lines: _Lines) -> dict[int, list[tuple[int, int]]]:
    """Confirmed components per total line, walking the lines top to bottom."""
    n = len(lines.labels)
    start = list(range(n))  # first line a unit covers: itself, or all a confirmed total sums
    confirmed: dict[int, list[tuple[int, int]]] = {}
    for i in range(n):
        if lines.is_break[i] or not lines.candidate[i]:
            continue
        block = _explain(lines, i, start)
        if block is None:
            continue
        confirmed[i] = sorted(zip(block.units, block.signs, strict=True))
        start[i] = min(start[u] for u in block.units)
    return confirmed


def _walk(lines: _Lines, i: int, start: list[int]) -> tuple[list[int], list[bool]]:
    """Units above line i, nearest first, and whether the block ending at each is natural."""
    units: list[int] = []
    natural: list[bool] = []
    j = i - 1
    while j >= 0 and len(units) < MAX_UNITS:
        if lines.is_break[j] or lines.is_aside[j]:
            j -= 1
            continue
        units.append(j)
        above = start[j] - 1
        # A block is natural when a heading, a spacer, the top of the table or another total
        # closes it.
        natural.append(above < 0 or lines.is_break[above] or start[above] != above)
        j = above
    return units, natural


def _is_expense(lines: _Lines, line: int, start: list[int]) -> bool:
    """A line subtracted under "less" semantics: a cost or deduction printed as positive."""
    label = lines.labels[line]
    heading = _heading_above(lines, start[line])
    if _NOT_EXPENSE.search(label) or lines.signed[line]:
        return False  # a result, or a label that says what its sign means ("credit/(charge)")
    if _BALANCE_ITEM.search(label) and not _DEDUCTION.search(label):
        return False  # "wage tax payable", "deferred tax assets": balances, not deductions
    fees = bool(_FEES.search(label)) and not _INCOME_WORDS.search(label)
    if not (
        fees or _EXPENSE_LABEL.search(label) or (heading and _DEDUCTION_HEADING.search(heading))
    ):
        return False
    return any(v is not None and v > 0 for v in lines.values[line])


def _heading_above(lines: _Lines, line: int) -> str | None:
    j = line - 1
    while j >= 0 and lines.is_break[j]:
        if lines.labels[j]:
            return lines.labels[j]
        j -= 1
    return None


def _explain(lines: _Lines, i: int, start: list[int]) -> _Block | None:
    units, natural = _walk(lines, i, start)
    if not units:
        return None
    total = lines.values[i]
    crosses = [c for c in range(len(total)) if total[c] is not None]
    if not crosses:
        return None
    expense = [_is_expense(lines, u, start) for u in units]
    variants = [[1] * len(units)]
    if any(expense):
        variants.append([-1 if e else 1 for e in expense])
    blocks: list[_Block] = []
    for signs in variants:
        sums = {c: 0.0 for c in crosses}
        seen = dict.fromkeys(crosses, False)  # a component printed in this cross (nil or not)
        nonzero = {c: total[c] != 0.0 for c in crosses}
        printed = dict.fromkeys(crosses, 0)  # components printed with digits: the parts
        parts = dict.fromkeys(crosses, 0)  # non-zero components so far
        unit = {c: lines.units[i][c] for c in crosses}
        for k, (u, sign) in enumerate(zip(units, signs, strict=True), start=1):
            row_values = lines.values[u]
            for c in crosses:
                v = row_values[c]
                if v is None:
                    continue
                sums[c] += sign * v
                seen[c] = True
                nonzero[c] = nonzero[c] or v != 0.0
                printed[c] += not lines.nil[u][c]
                parts[c] += v != 0.0
                unit[c] = max(unit[c], lines.units[u][c])
            # A cross whose components are all nil has no printed part: it proves nothing.
            live = [c for c in crosses if seen[c] and nonzero[c] and printed[c]]
            allowed = {
                c: EXACT * (unit[c] or 1.0) if k == 1 else tolerance(printed[c], unit[c] or 1.0)
                for c in live
            }
            matched = frozenset(c for c in live if abs(sums[c] - (total[c] or 0.0)) <= allowed[c])
            blocks.append(
                _Block(
                    units=units[:k],
                    signs=list(signs[:k]),
                    matched=matched,
                    evidence=frozenset(c for c in matched if parts[c] >= 2),
                    mismatched=frozenset(live) - matched,
                    sums=[sums[c] if c in sums and seen[c] else None for c in range(len(total))],
                    natural=natural[k - 1],
                    residual=sum(
                        abs(sums[c] - (total[c] or 0.0)) / (unit[c] or 1.0) for c in matched
                    ),
                )
            )
    return _choose(lines, i, blocks, units, natural, start)


def _choose(
    lines: _Lines,
    i: int,
    blocks: list[_Block],
    units: list[int],
    natural: list[bool],
    start: list[int],
) -> _Block | None:
    """The block that explains the printed total, or None when no single block does."""
    strong = lines.candidate[i] == STRONG
    full = [
        b
        for b in blocks
        if b.matched
        and not b.mismatched
        # one row is a total of itself only when the section is delimited and the label says so
        and (len(b.units) >= 2 or len(b.matched) >= 2 or (strong and b.natural))
    ]
    if full:
        full.sort(key=lambda b: (not b.natural, b.residual, len(b.units), b.signs.count(-1)))
        return full[0]
    if not strong:
        return None
    explaining = [b for b in blocks if b.matched]
    if not explaining:
        return _delimited_total(lines, i, units, natural, start)
    best = max(len(b.matched) for b in explaining)
    top = [b for b in explaining if len(b.matched) == best]
    if len(top) > 1:
        top = [b for b in top if b.natural] or top
    if len(top) > 1 and all(b.units == top[0].units for b in top):
        # The same rows with printed or "less" signs, agreeing on the same columns: both find
        # the other columns wrong; printed signs give the expected figure.
        top = [min(top, key=lambda b: b.signs.count(-1))]
    if len(top) > 1:
        closest = min(b.residual for b in top)
        top = [b for b in top if b.residual <= closest]  # the sums that come closest
    if len(top) > 1:
        # A longer walk that only adds rows blank or nil where the block agrees (a preferred
        # stock line above the equity heading) brings no evidence: the nearer block is the sum.
        shortest = min(top, key=lambda b: len(b.units))
        if all(b is shortest or _adds_nothing(lines, b, shortest) for b in top):
            top = [shortest]
    chosen = top[0]
    if any(not _same_sums(b, chosen, lines, i) for b in top[1:]):
        return None  # two blocks explain the same figures: which one is meant is unknown
    if len(chosen.units) < 2 or not chosen.natural or len(chosen.mismatched) > 1:
        # One misprinted figure breaks one column; a block failing in several is not the sum.
        return None
    two_columns = len(chosen.matched) + len(chosen.mismatched) <= 2
    if not (chosen.evidence or two_columns) or len(chosen.evidence or chosen.matched) < len(
        chosen.mismatched
    ):
        # Too few columns where the block really adds up (a column where all but one part is
        # nil proves little when most others disagree): unknown.
        return None
    for b in explaining:
        if b.matched <= chosen.matched:
            continue
        if b.units == chosen.units and len(b.matched) < len(chosen.matched):
            continue  # other signs on the same rows fit fewer figures: a flipped sign, not a rival
        return None  # another block explains a figure this one does not: unknown
    return chosen


def _adds_nothing(lines: _Lines, longer: _Block, shorter: _Block) -> bool:
    """`longer` is `shorter` plus rows with no figure (or nil) in every column `shorter` explains."""
    n = len(shorter.units)
    if longer.units[:n] != shorter.units or longer.signs[:n] != shorter.signs:
        return False
    return all(not lines.values[u][c] for u in longer.units[n:] for c in shorter.matched)


def _same_sums(a: _Block, b: _Block, lines: _Lines, i: int) -> bool:
    for c, (sa, sb) in enumerate(zip(a.sums, b.sums, strict=True)):
        if sa is None or sb is None:
            if (sa is None) != (sb is None):
                return False
            continue
        if abs(sa - sb) > (lines.units[i][c] or 1.0) / 2:
            return False
    return True


def _delimited_total(
    lines: _Lines, i: int, units: list[int], natural: list[bool], start: list[int]
) -> _Block | None:
    """A "Total" over a clean block of items, or a closing balance over an opening balance and
    movements, in a table with one figure column to read (no other column can confirm it).

    Clean: the items sit directly above the total, are not totals themselves, none says "less",
    and a heading, spacer or the top of the table closes the block.
    """
    crosses = [c for c, v in enumerate(lines.values[i]) if v is not None]
    if len(crosses) != 1 or not units or units[0] != i - 1:
        return None
    if _CLOSING_LABEL.search(lines.labels[i]):
        return _rolled_forward(lines, i, units, natural, start, crosses)
    if not _STRONG_TOTAL.match(lines.labels[i]):
        return None
    for k, u in enumerate(units, start=1):
        if start[u] != u or re.search(r"\btotals?\b", lines.labels[u]):
            return None  # "November 2022 total" inside the block: not a block of items
        if re.search(r"\bless\b", lines.labels[u]):
            return None
        if natural[k - 1]:
            if k < 2:
                return None
            return _Block(
                units=units[:k],
                signs=[1] * k,
                matched=frozenset(),
                evidence=frozenset(),
                mismatched=frozenset(crosses),
                sums=[],
                natural=True,
                residual=0.0,
            )
    return None


def _rolled_forward(
    lines: _Lines,
    i: int,
    units: list[int],
    natural: list[bool],
    start: list[int],
    crosses: list[int],
) -> _Block | None:
    """Opening balance, movements, closing balance: the block is the rows from the opening."""
    for k, u in enumerate(units, start=1):
        if start[u] != u:
            return None
        if _OPENING_LABEL.search(lines.labels[u]):
            if k < 2 or not natural[k - 1]:
                return None
            return _Block(
                units=units[:k],
                signs=[1] * k,
                matched=frozenset(),
                evidence=frozenset(),
                mismatched=frozenset(crosses),
                sums=[],
                natural=True,
                residual=0.0,
            )
        if natural[k - 1] or _CLOSING_LABEL.search(lines.labels[u]):
            return None
    return None


# ------------------------------------------------------------------------- continued tables


def _continued_structure(document: Document) -> None:
    """Totals of a table continued across pages ("Net cash from financing activities" whose
    first items were on the previous page): the parts are merged into a scratch table with the
    same columns, its structure inferred, and each total the parts could not explain on their
    own takes the merged components, mapped back to the original tables and rows."""
    for chain in _chains(document):
        merged, origin = _merge(chain)
        infer_structure(merged)
        for row in merged.rows:
            table, index = origin[row.index]
            original = table.rows[index]
            if not row.components or original.components:
                continue
            if original.kind not in (RowKind.TOTAL, RowKind.SUBTOTAL, RowKind.ITEM):
                continue
            parts = [(*origin[i], sign) for i, sign in row.components]
            if all(t is table for t, _, _ in parts):
                continue  # the part explains it alone, or chose not to: nothing to borrow
            original.chain_components = [(t.id, i, sign) for t, i, sign in parts]


def _chains(document: Document) -> list[list[Table]]:
    tables = document.tables
    continuation = {t.continued_from: t for t in reversed(tables) if t.continued_from}
    chains: list[list[Table]] = []
    for table in tables:
        if table.continued_from or table.id not in continuation:
            continue
        chain = [table]
        while True:
            nxt = continuation.get(chain[-1].id)
            if nxt is None or nxt in chain or not _same_columns(chain[0], nxt):
                break
            chain.append(nxt)
        if len(chain) > 1:
            chains.append(chain)
    return chains


def _same_columns(a: Table, b: Table) -> bool:
    def shape(t: Table) -> list[tuple[str, str]]:
        return [
            (c.role.value, normalise_label(c.header))
            for c in t.columns
            if c.role is ColumnRole.AMOUNT
        ]

    return len(a.columns) == len(b.columns) and shape(a) == shape(b) and a.scale == b.scale


def _merge(chain: list[Table]) -> tuple[Table, list[tuple[Table, int]]]:
    rows: list[Row] = []
    origin: list[tuple[Table, int]] = []
    for table in chain:
        for row in table.rows:
            rows.append(Row(index=len(rows), label=row.label, cells=row.cells, note=row.note))
            origin.append((table, row.index))
    first = chain[0]
    merged = Table(
        id=first.id,
        index=first.index,
        columns=[replace(c, components=[]) for c in first.columns],
        rows=rows,
        title=first.title,
        statement=first.statement,
        note_number=first.note_number,
        scale=first.scale,
        scale_label=first.scale_label,
    )
    return merged, origin
