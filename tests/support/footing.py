"""Explain each printed total of a data set from the rows above it (test helper).

Published statements foot; this proves our transcription does too. A total is explained when, in
every column, it equals one of: the items since the previous boundary (heading, spacer, total), the
items and subtotals since the previous heading, the previous subtotal or total plus the items since
it (running totals such as gross profit -> operating profit), or all subtotals since the last total.
Whatever none of these explains is reported, so a transcription slip cannot hide.
"""

from __future__ import annotations

from typing import Any

Row = dict[str, Any]


def _vals(row: Row, width: int) -> list[float]:
    """Figures of a row; nil and text cells (percentages in an amount table) count as 0."""
    return [float(v) if isinstance(v, int | float) else 0.0 for v in row.get("v", [None] * width)]


def _sum(rows: list[Row], width: int) -> list[float]:
    out = [0.0] * width
    for row in rows:
        for i, v in enumerate(_vals(row, width)):
            out[i] += v
    return out


def _candidates(rows: list[Row], idx: int, width: int) -> list[list[float]]:
    above = rows[:idx]
    cands: list[list[float]] = []
    # items since the previous boundary
    block: list[Row] = []
    for row in reversed(above):
        role = row.get("r", "item")
        if role in ("heading", "spacer", "subtotal", "total", "opening"):
            break
        block.append(row)
    if block:
        cands.append(_sum(block, width))
    # items and subtotals since the previous heading (skipping spacers)
    block = []
    for row in reversed(above):
        role = row.get("r", "item")
        if role == "heading" or role == "total":
            break
        if role in ("item", "subtotal", "opening"):
            block.append(row)
    if block:
        cands.append(_sum(block, width))
        cands.append(_sum([r for r in block if r.get("r", "item") != "subtotal"], width))
    # running total: previous subtotal/total/opening + items after it
    block = []
    for row in reversed(above):
        role = row.get("r", "item")
        if role in ("subtotal", "total", "opening"):
            cands.append(_sum([*block, row], width))
            break
        if role in ("item",):
            block.append(row)
    # all subtotals since the last total
    subs = []
    for row in reversed(above):
        role = row.get("r", "item")
        if role == "total":
            break
        if role == "subtotal":
            subs.append(row)
    if subs:
        cands.append(_sum(subs, width))
    # everything with a value above (tables without structure: a plain list and its total)
    cands.append(_sum([r for r in above if r.get("r", "item") in ("item", "opening")], width))
    return cands


def _explicit(rows: list[Row], idx: int, width: int) -> list[float]:
    """Sum of the rows named by `of`: "+6"/"-13" are row indices, other entries are labels."""
    out = [0.0] * width
    for ref in rows[idx]["of"]:
        text = str(ref)
        sign = -1.0 if text.startswith("-") else 1.0
        body = text.lstrip("+-")
        if body.isdigit():
            source = rows[int(body)]
        else:
            source = next(r for r in reversed(rows[:idx]) if r.get("l") == body)
        for i, v in enumerate(_vals(source, width)):
            out[i] += sign * v
    return out


def unexplained_totals(rows: list[Row], width: int, tolerance: float = 1.0) -> list[str]:
    """Labels of total/subtotal rows that no candidate block explains in every column."""
    bad: list[str] = []
    for idx, row in enumerate(rows):
        if row.get("r") not in ("subtotal", "total") or "v" not in row:
            continue
        target = _vals(row, width)
        cands = [_explicit(rows, idx, width)] if "of" in row else _candidates(rows, idx, width)
        if not any(
            all(abs(c - t) <= tolerance for c, t in zip(cand, target, strict=True))
            for cand in cands
        ):
            bad.append(str(row.get("l") or f"<row {idx}>"))
    return bad


def uncrossfooted_rows(headers: list[str], rows: list[Row]) -> list[str]:
    """Rows whose "Total" columns do not equal the columns they total (SOCE, roll-forwards).

    The first total column sums every column before it; a later one ("Total equity" after
    "Total" and "Non-controlling interest") adds the columns since the previous total to it,
    except period-prefixed totals ("2023 total") which sum only the columns since the last total.
    """
    lowered = [h.lower() for h in headers]
    totals = [
        i
        for i, h in enumerate(lowered)
        if h == "total" or h.startswith("total ") or h.endswith(" total")
    ]
    bad: list[str] = []
    for row in rows:
        if "v" not in row:
            continue
        vals = _vals(row, len(headers))
        prev = -1
        for t in totals:
            between = sum(vals[prev + 1 : t])
            period_total = lowered[t].endswith(" total") and lowered[t][:4].isdigit()
            expected = between + (vals[prev] if prev >= 0 and not period_total else 0.0)
            if abs(expected - vals[t]) > 1.0:
                bad.append(f"{row.get('l')!r} column {headers[t]!r}")
            prev = t
    return bad
