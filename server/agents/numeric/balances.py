"""Opening balances: a year's opening balance equals the previous year's closing balance.

Two shapes occur in real reports:
- period columns (2024 | 2023) with undated rows "At 1 January" ... "At 31 December": the
  2024 opening equals the 2023 closing, in the neighbouring column;
- dated rows ("Balance at 1 January 2024", "At 31 December 2023") with component columns, as in
  changes in equity and asset roll-forwards, sometimes one table per year within a note: the
  opening row of a year equals the closing row of the year before, column by column.
Period columns of interim periods ("Nine months ended") never pair: nine months of 2024 open at
31 December 2023, not where nine months of 2023 closed; tagged figures pair only at one date.
Rows pair only when they are balances of the same thing (same label stem, same group heading
such as "Cost" or "Accumulated depreciation"); anything ambiguous is skipped.
"""

from __future__ import annotations

import re
from collections import defaultdict

from generated.models import NumericCheck
from server.agents.numeric.figures import printed_unit
from server.agents.numeric.labels import (
    balance_stem,
    clean,
    is_closing,
    is_opening,
    label_year,
    undated,
)
from server.agents.numeric.ledger import Cells, Ledger, period_label
from server.ingest.document import Column, ColumnRole, Document, Row, RowKind, Table
from server.text.rounding import same_figure_tolerance

_INTERIM = re.compile(
    r"(?i)\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|[1-9]|1[01])[\s-]+months?\b"
    r"|\bquarter\b|\b(13|26|39)[\s-]+weeks\b|\bhalf[\s-]+year\b|\binterim\b"
)


def check_opening_balances(document: Document, ledger: Ledger) -> None:
    for table in document.tables:
        _period_columns(table, ledger)
    for group in table_groups(document):
        _dated_rows(group, ledger)


def _context(table: Table, row: Row) -> str | None:
    """The group heading a balance sits under ("cost", "accumulated depreciation")."""
    for i in range(row.index - 1, -1, -1):
        r = table.rows[i]
        if r.kind is RowKind.HEADING and undated(r.label) == clean(r.label):
            return clean(r.label)
    return None


def _year_columns(table: Table) -> dict[int, Column]:
    by_year: dict[int, list[Column]] = defaultdict(list)
    for c in table.columns:
        if c.role is ColumnRole.AMOUNT and c.year is not None:
            by_year[c.year].append(c)
    return {y: cols[0] for y, cols in by_year.items() if len(cols) == 1}


def _period_columns(table: Table, ledger: Ledger) -> None:
    years = _year_columns(table)
    if len(years) < 2:
        return
    if any(_INTERIM.search(c.header) for c in years.values()):
        # Nine months of 2024 open at 31 December 2023, not where nine months of 2023 closed.
        ledger.skip(NumericCheck.opening_balance, len(years) - 1)
        return
    rows = [r for r in table.rows if r.kind not in (RowKind.HEADING, RowKind.SPACER)]
    openings = [r for r in rows if is_opening(r.label) and label_year(r.label) is None]
    closings = [r for r in rows if is_closing(r.label) and label_year(r.label) is None]
    for o in openings:
        key = (balance_stem(o.label), _context(table, o))
        matches = [c for c in closings if (balance_stem(c.label), _context(table, c)) == key]
        if len(matches) != 1:
            if matches:
                ledger.skip(NumericCheck.opening_balance, len(years) - 1)
            continue
        c = matches[0]
        for year, col in sorted(years.items()):
            prior = years.get(year - 1)
            if prior is None:
                continue
            _compare(table, o, col.index, table, c, prior.index, ledger)


def table_groups(document: Document) -> list[list[Table]]:
    """Tables whose dated balances may pair: one table, a note's tables, a continued chain."""
    groups: dict[str, list[Table]] = defaultdict(list)
    for t in document.tables:
        root = t
        seen = {t.id}
        while root.continued_from:
            nxt = next((x for x in document.tables if x.id == root.continued_from), None)
            if nxt is None or nxt.id in seen:
                break
            seen.add(nxt.id)
            root = nxt
        key = f"note {root.note_number}" if root.note_number else root.id
        groups[key].append(t)
    return list(groups.values())


def _dated_rows(tables: list[Table], ledger: Ledger) -> None:
    rows = [
        (t, r)
        for t in tables
        for r in t.rows
        if r.kind not in (RowKind.HEADING, RowKind.SPACER) and label_year(r.label) is not None
    ]
    closings = [(t, r) for t, r in rows if is_closing(r.label)]
    for t, o in rows:
        if not is_opening(o.label):
            continue
        year = label_year(o.label)
        assert year is not None
        key = (balance_stem(o.label), _context(t, o))
        matches = [
            (ct, c)
            for ct, c in closings
            if label_year(c.label) == year - 1
            and (balance_stem(c.label), _context(ct, c)) == key
            and _same_columns(t, ct)
        ]
        if len(matches) != 1:
            if matches:
                ledger.skip(NumericCheck.opening_balance)
            continue
        ct, c = matches[0]
        for col in t.columns:
            if col.role is ColumnRole.AMOUNT:
                _compare(t, o, col.index, ct, c, col.index, ledger)


def _same_columns(a: Table, b: Table) -> bool:
    if a is b:
        return True
    heads_a = [clean(c.header) for c in a.columns if c.role is ColumnRole.AMOUNT]
    heads_b = [clean(c.header) for c in b.columns if c.role is ColumnRole.AMOUNT]
    return heads_a == heads_b


def _compare(t: Table, o: Row, o_col: int, ct: Table, c: Row, c_col: int, ledger: Ledger) -> None:
    actual = o.value(o_col)
    expected = c.value(c_col)
    if actual is None or expected is None:
        return
    fo, fc = o.cells[o_col].fact, c.cells[c_col].fact
    if fo and fc and fo.period_end and fc.period_end and fo.period_end != fc.period_end:
        ledger.skip(NumericCheck.opening_balance)  # the tags say: two different dates
        return
    unit = max(printed_unit(o.cells[o_col]), printed_unit(c.cells[c_col]))
    period = period_label(t, o_col, o.label)
    ledger.compare(
        NumericCheck.opening_balance,
        actual=actual,
        expected=expected,
        tolerance=same_figure_tolerance(unit),
        table=t,
        row=o.index,
        period=period,
        title=f"Opening balance '{o.label.strip()}' differs from the prior closing balance ({period})",
        detail=(
            f"'{o.label.strip()}' in {t.title or t.id} should equal '{c.label.strip()}' "
            f"in {ct.title or ct.id}."
        ),
        locations=[Cells(t, [(o.index, o_col)]), Cells(ct, [(c.index, c_col)])],
        key=(o_col,),
    )
