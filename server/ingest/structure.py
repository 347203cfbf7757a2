"""Which rows of a table are totals, and which rows each total sums.

Readers call `infer_structure(table)` once per table; the numeric agent trusts `Row.kind` and
`Row.components`. Precision beats recall here: an LLM auditor checking totals against the wrong
rows produced three false findings for every true one, so a structure is only accepted when the
printed figures confirm it, and otherwise left empty (the agent counts the check as skipped).

How a total is found (see /work/shared/notes/audit-checks.md, "Inferring what a total sums"):

- Candidates: labels that start like a total ("Total", "Net", "Gross profit", "Profit before
  tax", "Balance at", "At 31 December 2024", "Carrying amount", "Cash and cash equivalents at"),
  rows in capitals, rows with figures but no label.
- Components: walking up from the candidate, each earlier row is a unit, except that an already
  confirmed total stands for all the rows it sums (so "Operating profit" sums "Gross profit" and
  the expense lines after it, and "Total assets" sums the two subtotals, not their items).
  Headings and spacer rows are skipped but mark natural block boundaries. Every prefix of that
  walk is a candidate block, once with printed signs and once with "less" semantics (cost and
  expense lines printed positive are subtracted).
- Confirmation: a block explains a column when the printed total lies within the Calculations
  1.1 interval tolerance, (n + 1) * u / 2 for n components of printed unit u. A block that
  explains every column is accepted. A block that explains only some columns is accepted only
  if it is the single explanation, spans two or more units and ends at a natural boundary; the
  other columns then become findings. A "Total ..." row over a cleanly delimited block in a
  table with a single figure column is accepted without confirmation (there is no other column
  to confirm against). Everything else is left unexplained.

Statements of changes in equity (and note tables with a "Total" column) also sum across:
`infer_column_structure` applies the same walk to the amount columns, confirmed by the rows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from server.ingest.document import Cell, ColumnRole, Row, RowKind, Table

MAX_UNITS = 60  # how far up a walk looks; real blocks are far shorter

_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2012": "-"})
_PROFIT_OR_LOSS = re.compile(
    r"\b(profit|loss|income|gain|surplus|deficit)\s*/\s*\(?(loss|profit|expense|deficit|surplus)\)?"
)
_SPACES = re.compile(r"\s+")
_TRAILING = re.compile(r"[\s:*.,;]+$")

_TOTAL_LABEL = re.compile(
    r"^(total\b|sub-?total\b|net\b|gross (profit|loss|margin)|"
    r"(profit|loss|result|earnings)\b(?! on\b| from sale| from disposal)|"
    r"operating (profit|loss|result|income)|"
    r"(balance|balances|carrying amount|net book value|cost|gross carrying amount)"
    r"\s*(at|as at|as of|on)\b|"
    r"(at|as at|as of)\s+\d|(at|as at) (the )?(beginning|end|start) of|"
    r"(opening|closing) (balance|carrying|net book)|"
    r"carrying amounts?\b|net book values?\b|"
    r"cash and cash equivalents,? (at|as at|as of|end|beginning|closing|opening)|"
    r"cash generated (from|by|used in)|cash (used in|from) operations|"
    r"equity attributable|other comprehensive (income|loss) for|"
    r"other comprehensive (income|loss),? net of)"
)
_STRONG_TOTAL = re.compile(r"^(total\b|sub-?total\b)")
_EXPENSE_LABEL = re.compile(
    r"\b(costs?|expenses?|depreciation|amortisation|amortization|impairment|tax|taxation|"
    r"losses|less|dividends?|paid|purchases?|acquisitions?|repayments?|distribution|"
    r"administrative|selling|allowance|accumulated|outflows?|payments?|withdrawals?|"
    r"disposals?|utili[sz]ed|used|reversed|written off|write-offs?|charge)\b"
)
_NOT_EXPENSE = re.compile(r"^(profit|loss|result|earnings|gross|operating)\b|before tax")


def normalise_label(text: str) -> str:
    """Compare labels as a reader would: case, spacing, dashes and "profit/(loss)" folded."""
    s = unicodedata.normalize("NFKC", text).translate(_DASHES).lower()
    s = _PROFIT_OR_LOSS.sub(lambda m: m.group(1), s)
    s = s.replace("'", "'").replace("`", "'")
    s = _SPACES.sub(" ", s).strip()
    return _TRAILING.sub("", s)


def printed_unit(cell: Cell) -> float:
    """One unit of the last printed digit: 1 for "1,234", 0.1 for "12.4"."""
    value = cell.value
    if value is None or cell.nil or float(value).is_integer():
        return 1.0
    digits = re.search(r"[.,](\d+)\D*$", cell.text)
    return 10.0 ** -len(digits.group(1)) if digits else 1.0


def tolerance(components: int, unit: float) -> float:
    """Calculations 1.1: n rounded components and a rounded total may differ by (n+1)u/2."""
    return (components + 1) * unit / 2 + 1e-9 * unit


@dataclass(slots=True)
class _Lines:
    """A table seen as lines (rows, or columns) of figures across crosses (columns, or rows)."""

    labels: list[str]  # normalised
    values: list[list[float | None]]  # values[line][cross]
    units: list[list[float]]
    is_break: list[bool]  # heading or spacer: skipped by walks, ends a natural block
    is_blank: list[bool]  # no label at all
    candidate: list[bool]


@dataclass(slots=True)
class _Block:
    units: list[int]
    signs: list[int]
    matched: frozenset[int]
    sums: list[float | None]
    natural: bool


def infer_structure(table: Table) -> None:
    """Set `kind` and `components` on every row of `table`, in place."""
    amount = [c.index for c in table.columns if c.role is ColumnRole.AMOUNT]
    label_col = table.label_column()
    for row in table.rows:
        row.components = []
        has_label = bool(row.label.strip())
        has_figures = any(row.value(c) is not None for c in amount)
        if not has_figures:
            row.kind = RowKind.HEADING if has_label else RowKind.SPACER
        else:
            row.kind = RowKind.ITEM
    if not amount:
        return
    lines = _row_lines(table, amount, label_col)
    confirmed = _infer(lines)
    used: set[int] = {i for comps in confirmed.values() for i, _ in comps}
    for i, row in enumerate(table.rows):
        if i in confirmed:
            row.components = confirmed[i]
            row.kind = RowKind.SUBTOTAL if i in used else RowKind.TOTAL
        elif row.kind is RowKind.ITEM and (
            _STRONG_TOTAL.match(lines.labels[i]) or lines.is_blank[i]
        ):
            row.kind = RowKind.TOTAL  # looks like a total, but nothing explains it: skipped


def infer_column_structure(table: Table) -> dict[int, list[tuple[int, int]]]:
    """Amount columns that sum other amount columns (a "Total" column), confirmed by the rows.

    Keys and component indices are `Column.index` values.
    """
    amount = [c for c in table.columns if c.role is ColumnRole.AMOUNT]
    if len(amount) < 3:
        return {}
    rows = [r for r in table.rows if any(r.value(c.index) is not None for c in amount)]
    if not rows:
        return {}
    labels = [normalise_label(c.header) for c in amount]
    lines = _Lines(
        labels=labels,
        values=[[r.value(c.index) for r in rows] for c in amount],
        units=[[_unit(r, c.index) for r in rows] for c in amount],
        is_break=[False] * len(amount),
        is_blank=[not lab for lab in labels],
        candidate=[bool(re.search(r"\btotal\b", lab)) for lab in labels],
    )
    found = _infer(lines)
    return {
        amount[i].index: [(amount[j].index, sign) for j, sign in comps]
        for i, comps in found.items()
    }


def _unit(row: Row, column: int) -> float:
    return printed_unit(row.cells[column]) if column < len(row.cells) else 1.0


def _row_lines(table: Table, amount: list[int], label_col: int) -> _Lines:
    labels = [normalise_label(r.label) for r in table.rows]
    candidate: list[bool] = []
    for row, label in zip(table.rows, labels, strict=True):
        is_candidate = row.kind is RowKind.ITEM and (
            not label
            or bool(_TOTAL_LABEL.match(label))
            or (row.label.isupper() and any(ch.isalpha() for ch in row.label))
        )
        candidate.append(is_candidate)
    return _Lines(
        labels=labels,
        values=[[r.value(c) for c in amount] for r in table.rows],
        units=[[_unit(r, c) for c in amount] for r in table.rows],
        is_break=[r.kind in (RowKind.HEADING, RowKind.SPACER) for r in table.rows],
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
        block = _explain(lines, i, start, confirmed)
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
        if lines.is_break[j]:
            j -= 1
            continue
        units.append(j)
        above = start[j] - 1
        natural.append(above < 0 or lines.is_break[above])
        j = above
    return units, natural


def _is_expense(lines: _Lines, line: int) -> bool:
    label = lines.labels[line]
    if not _EXPENSE_LABEL.search(label) or _NOT_EXPENSE.search(label):
        return False
    return any(v is not None and v > 0 for v in lines.values[line])


def _explain(
    lines: _Lines, i: int, start: list[int], confirmed: dict[int, list[tuple[int, int]]]
) -> _Block | None:
    units, natural = _walk(lines, i, start)
    if not units:
        return None
    crosses = len(lines.values[i])
    total = lines.values[i]
    # Crosses where the total is printed and something is at stake (not all nil).
    evaluable = [c for c in range(crosses) if total[c] is not None]
    if not evaluable:
        return None
    expense = [_is_expense(lines, u) for u in units]
    variants = [[1] * len(units)]
    if any(expense):
        variants.append([-1 if e else 1 for e in expense])
    blocks: list[_Block] = []
    for signs in variants:
        sums: list[float] = [0.0] * crosses
        any_value = [False] * crosses
        nonzero = [total[c] not in (None, 0.0) for c in range(crosses)]
        unit = [lines.units[i][c] for c in range(crosses)]
        for k, (u, sign) in enumerate(zip(units, signs, strict=True), start=1):
            row_values = lines.values[u]
            for c in evaluable:
                v = row_values[c]
                if v is not None:
                    sums[c] += sign * v
                    any_value[c] = True
                    if v != 0.0:
                        nonzero[c] = True
                    unit[c] = max(unit[c], lines.units[u][c])
            matched = frozenset(
                c
                for c in evaluable
                if any_value[c]
                and nonzero[c]
                and abs(sums[c] - (total[c] or 0.0)) <= tolerance(k, unit[c])
            )
            blocks.append(
                _Block(
                    units=units[:k],
                    signs=list(signs[:k]),
                    matched=matched,
                    sums=[sums[c] if any_value[c] else None for c in range(crosses)],
                    natural=natural[k - 1],
                )
            )
    stake = [c for c in evaluable if _has_stake(lines, i, c, units)]
    return _choose(lines, i, blocks, stake, units, natural, start)


def _has_stake(lines: _Lines, i: int, c: int, units: Sequence[int]) -> bool:
    """A cross where the total or a nearby figure is non-zero: all-nil columns prove nothing."""
    if (lines.values[i][c] or 0.0) != 0.0:
        return True
    return any((lines.values[u][c] or 0.0) != 0.0 for u in units[:3])


def _choose(
    lines: _Lines,
    i: int,
    blocks: list[_Block],
    stake: list[int],
    units: list[int],
    natural: list[bool],
    start: list[int],
) -> _Block | None:
    if not stake:
        return None
    stake_set = frozenset(stake)
    scored = [(len(b.matched & stake_set), b) for b in blocks]
    best = max(score for score, _ in scored)
    if best == len(stake_set):
        full = [b for score, b in scored if score == best]
        full = [b for b in full if len(b.units) >= 2 or len(stake_set) >= 2]
        if not full:
            return None
        full.sort(key=lambda b: (not b.natural, len(b.units), b.signs.count(-1)))
        return full[0]
    if best == 0:
        return _delimited_total(lines, i, units, natural, stake, start)
    explaining = [b for score, b in scored if score > 0]
    chosen = max(explaining, key=lambda b: len(b.matched & stake_set))
    if len(chosen.units) < 2 or not chosen.natural:
        return None
    for other in explaining:
        if not _same_sums(other, chosen, lines, i, stake):
            return None  # two different blocks explain different columns: unknown
    return chosen


def _same_sums(a: _Block, b: _Block, lines: _Lines, i: int, stake: list[int]) -> bool:
    for c in stake:
        sa, sb = a.sums[c], b.sums[c]
        if sa is None or sb is None:
            if sa is not sb:
                return False
            continue
        if abs(sa - sb) > lines.units[i][c] / 2:
            return False
    return True


def _delimited_total(
    lines: _Lines, i: int, units: list[int], natural: list[bool], stake: list[int], start: list[int]
) -> _Block | None:
    """A "Total" over a clean block of items, in a table with one figure column to read.

    Clean: the items sit directly above the total, are not totals themselves, none says "less",
    and a heading, spacer or the top of the table closes the block.
    """
    if len(stake) != 1 or not _STRONG_TOTAL.match(lines.labels[i]):
        return None
    if not units or units[0] != i - 1:
        return None
    for k, u in enumerate(units, start=1):
        if start[u] != u or (lines.labels[u] and _STRONG_TOTAL.match(lines.labels[u])):
            return None
        if re.search(r"\bless\b", lines.labels[u]):
            return None
        if natural[k - 1]:
            if k < 2:
                return None
            return _Block(
                units=units[:k], signs=[1] * k, matched=frozenset(), sums=[], natural=True
            )
    return None
