"""Tables continued across pages: totals whose components sit partly in the earlier part.

A long statement or note split over two pages reaches the reader as two tables, the second
headed "(continued)" (`Table.continued_from`). A total in the continuation may sum rows of the
first part ("Net cash from financing activities" whose first items were on the previous page,
"Total expenses" at the end of a two-page list). The parts are merged into a scratch table with
the same columns, the structure is inferred on it, and the totals the parts could not explain
on their own borrow the merged components, mapped back to the original tables and rows.
"""

from __future__ import annotations

from server.agents.numeric.labels import clean
from server.ingest.document import ColumnRole, Document, Row, RowKind, Table
from server.ingest.structure import infer_structure

Component = tuple[Table, int, int]  # table, row index in it, sign


def continued_components(document: Document) -> dict[tuple[str, int], list[Component]]:
    """Components for totals that only a merged continued table explains, by (table id, row)."""
    borrowed: dict[tuple[str, int], list[Component]] = {}
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
            borrowed[(table.id, index)] = parts
    return borrowed


def _chains(document: Document) -> list[list[Table]]:
    by_id = {t.id: t for t in document.tables}
    chains: list[list[Table]] = []
    for table in document.tables:
        if table.continued_from or not any(t.continued_from == table.id for t in document.tables):
            continue
        chain = [table]
        while True:
            nxt = next((t for t in document.tables if t.continued_from == chain[-1].id), None)
            if nxt is None or nxt in chain or not _same_columns(chain[0], nxt):
                break
            chain.append(nxt)
        if len(chain) > 1 and all(t.id in by_id for t in chain):
            chains.append(chain)
    return chains


def _same_columns(a: Table, b: Table) -> bool:
    def shape(t: Table) -> list[tuple[str, str]]:
        return [(c.role.value, clean(c.header)) for c in t.columns if c.role is ColumnRole.AMOUNT]

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
        columns=first.columns,
        rows=rows,
        title=first.title,
        statement=first.statement,
        note_number=first.note_number,
        scale=first.scale,
        scale_label=first.scale_label,
    )
    return merged, origin
