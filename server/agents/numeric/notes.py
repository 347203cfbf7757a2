"""Note ties: a statement line that cites a note agrees with that note's total, each period.

A note holds many figures, so the line is matched narrowly. Candidate figures in the note's
tables are rows with the same label ("Inventories" / "Total inventories"), the same concept, or
a bare total ("Total", an unlabelled total, "At 31 December", "Carrying amount at 31 December
2024"). Candidates with the same label and group heading across the note's tables form one
source, so a roll-forward printed one table per year still gives one figure per year.

A source counts only if it agrees with the line in at least one period (non-zero): that is the
evidence it is the line's note total. Exactly one such source (or several that agree everywhere)
is compared in every period; none, or several that disagree, and the tie is skipped.
Signs are ignored (notes print expenses as positive amounts).
"""

from __future__ import annotations

import re
from collections import defaultdict

from generated.models import NumericCheck
from server.agents.numeric.figures import Figure, by_year, confirms, data_rows, tie
from server.agents.numeric.labels import clean, concept_of, is_opening, undated
from server.agents.numeric.ledger import Ledger
from server.ingest.document import ColumnRole, Document, Row, RowKind, Table

_BARE = re.compile(
    r"^(total|balance at|balance as at|at|as at|closing balance|carrying amount( at)?|"
    r"net book value( at)?|carrying amount at end of (the )?year|balance at end of (the )?year)?$"
)
_SIMPLE_NOTE = re.compile(r"^\d{1,3}(\.\d{1,2})?[a-z]?$")


def check_note_ties(document: Document, ledger: Ledger) -> None:
    notes: dict[str, list[Table]] = defaultdict(list)
    for t in document.tables:
        key = _note_key(t.note_number) if t.note_number else None
        if key is not None:
            notes[key].append(t)
    for table in document.tables:
        if table.statement is None or table.note_number is not None:
            continue
        for row in data_rows(table):
            if not row.note:
                continue
            key = _note_key(row.note)
            if key is None or key not in notes:
                continue
            _tie_line(table, row, notes[key], ledger)


def _note_key(note: str) -> str | None:
    s = note.strip().lower().rstrip(".")
    return s if _SIMPLE_NOTE.match(s) else None


def _heading(table: Table, row: Row) -> str | None:
    for i in range(row.index - 1, -1, -1):
        r = table.rows[i]
        if r.kind is RowKind.HEADING and undated(r.label) == clean(r.label):
            return clean(r.label)
    return None


def _sources(line: Row, tables: list[Table]) -> dict[tuple[str, str | None], dict[int, Figure]]:
    label = clean(line.label)
    concept = concept_of(line.label)
    wanted = {label, f"total {label}", f"net {label}", f"{label}, net", f"{label} - net"}
    sources: dict[tuple[str, str | None], dict[int, Figure]] = defaultdict(dict)
    for table in tables:
        # A roll-forward with one column per balance ("Right-of-use assets", "Lease liabilities"):
        # the line's figure is in the column named like the line.
        named = next(
            (
                c.index
                for c in table.columns
                if c.role is ColumnRole.AMOUNT and clean(c.header) in wanted
            ),
            None,
        )
        for row in data_rows(table):
            if is_opening(row.label):
                continue  # "Balance at 1 January 2024" is the prior year's figure, not this one
            name = undated(row.label)
            is_total = row.kind in (RowKind.TOTAL, RowKind.SUBTOTAL) or not row.label.strip()
            if not (
                name in wanted
                or (concept is not None and concept_of(row.label) is concept)
                or (is_total and _BARE.match(name))
                or (_BARE.match(name) and name and name != "total")
            ):
                continue
            key = (name, _heading(table, row))
            for year, fig in by_year(table, row, named).items():
                sources[key].setdefault(year, fig)
    return sources


def _tie_line(table: Table, line: Row, tables: list[Table], ledger: Ledger) -> None:
    if not line.additive:
        return  # a per-share amount or a count: never a note's total
    figs = by_year(table, line)
    if not figs:
        return
    explaining = [
        s
        for s in _sources(line, tables).values()
        if any(y in s and confirms(figs[y], s[y], absolute=True) for y in figs)
    ]
    if not explaining:
        ledger.skip(NumericCheck.note_tie, len(figs))
        return
    chosen = explaining[0]
    for other in explaining[1:]:
        same = set(other) == set(chosen) and all(
            abs(abs(other[y].worth) - abs(chosen[y].worth)) < 1e-9 for y in chosen
        )
        if not same:
            ledger.skip(NumericCheck.note_tie, len(figs))
            return
    for year, fig in sorted(figs.items()):
        source = chosen.get(year)
        if source is None:
            continue
        tie(
            ledger,
            NumericCheck.note_tie,
            fig,
            source,
            title=f"'{line.label.strip()}' differs from note {line.note} ({year})",
            detail=f"'{line.label.strip()}' in {table.title or table.id} cites note {line.note}; "
            f"the note's '{source.row.label.strip() or 'total'}' (in "
            f"{source.table.title or source.table.id}) should be the same figure, signs aside.",
            absolute=True,
        )
