"""Movements vs flows: a balance's change against the cash flows reported for it.

Non-cash changes (exchange differences, acquisitions, amortised fees, revaluations) make these
approximate, so tolerances are wide, severity is low, and a check is skipped whenever a line it
needs is missing or the document mentions what would explain a gap (business combinations,
revaluation).
"""

from __future__ import annotations

import re

from generated.models import CellRef, Location, LogicCheck, Severity
from server.agents.logic.base import Figure, LogicContext, fmt
from server.ingest.document import StatementKind
from server.text.labels import normalise

CHECK = LogicCheck.movement
_EXPLAINS_PPE = re.compile(
    r"\b(revaluation|business combination|acquisition of (a )?subsidiar|acquired .{0,30}subsidiar)"
)
_SHARE_PREMIUM = re.compile(
    r"^(share premium|additional paid-in capital|capital surplus)( account| reserve)?$"
)
_PROCEEDS_SHARES = re.compile(
    r"^(net )?proceeds from (the )?issu(e|ance) of (ordinary |new )?(shares|share capital|equity|ordinary shares)"
)


def _sofp_sum(ctx: LogicContext, concept: str, year: int) -> tuple[float, list[Figure]] | None:
    figs = [
        f
        for f in ctx.facts.figures(concept, year)
        if f.table.statement is StatementKind.FINANCIAL_POSITION
    ]
    if not figs:
        return None
    table = figs[0].table.id
    figs = [f for f in figs if f.table.id == table and f.column == figs[0].column]
    return sum(abs(f.value) for f in figs), figs


def _cash_flow(ctx: LogicContext, concept: str, year: int) -> Figure | None:
    figs = [
        f for f in ctx.facts.figures(concept, year) if f.table.statement is StatementKind.CASH_FLOWS
    ]
    if len({f.row.index for f in figs}) != 1:
        return None
    return figs[0]


def check_movements(ctx: LogicContext) -> None:
    cy = ctx.facts.current_year
    if cy is None:
        return
    _borrowings(ctx, cy)
    _ppe(ctx, cy)
    _shares(ctx, cy)


def _borrowings(ctx: LogicContext, cy: int) -> None:
    close, open_ = _sofp_sum(ctx, "borrowings", cy), _sofp_sum(ctx, "borrowings", cy - 1)
    proceeds, repaid = (
        _cash_flow(ctx, "proceeds_borrowings", cy),
        _cash_flow(ctx, "repay_borrowings", cy),
    )
    if close is None or open_ is None or (proceeds is None and repaid is None):
        ctx.skipped(CHECK)
        return
    inflow = abs(proceeds.value) if proceeds else 0.0
    outflow = abs(repaid.value) if repaid else 0.0
    change = close[0] - open_[0]
    net = inflow - outflow
    tolerance = max(
        0.25 * max(inflow, outflow), 0.15 * max(close[0], open_[0]), 2 * close[1][0].unit
    )
    if abs(change - net) <= tolerance:
        ctx.passed(CHECK)
        return
    flows = [f for f in (proceeds, repaid) if f]
    ctx.failed(
        CHECK,
        key=("borrowings", close[1][0].table.id, cy),
        severity=Severity.low,
        title="Change in borrowings does not match the borrowing cash flows",
        description=(
            f"Borrowings moved by {fmt(change)} in {cy} (from {fmt(open_[0])} to {fmt(close[0])}), "
            f"while the cash-flow statement shows {fmt(inflow)} drawn and {fmt(outflow)} repaid "
            f"(net {fmt(net)}). Non-cash changes may explain it; the reconciliation of liabilities "
            "from financing activities should show how."
        ),
        reference="IAS 7.44A",
        locations=[f.location() for f in close[1] + flows],
        claim=f"Borrowings {fmt(open_[0])} -> {fmt(close[0])}",
        contradiction=f"Net borrowing cash flows {fmt(net)}",
    )


def _ppe(ctx: LogicContext, cy: int) -> None:
    close, open_ = ctx.facts.figure("ppe", cy), ctx.facts.figure("ppe", cy - 1)
    capex = _cash_flow(ctx, "purchase_ppe", cy)
    dep = _cash_flow(ctx, "depreciation", cy) or ctx.facts.figure("depreciation", cy)
    if close is None or open_ is None or capex is None or dep is None:
        ctx.skipped(CHECK)
        return
    if close.table.statement is not StatementKind.FINANCIAL_POSITION or _EXPLAINS_PPE.search(
        normalise(ctx.document.text())
    ):
        ctx.skipped(CHECK)
        return
    if "amorti" in dep.row.label.lower():
        ctx.skipped(CHECK)  # depreciation mixed with amortisation: the PPE share is unknown
        return
    change = close.value - open_.value
    expected = abs(capex.value) - abs(dep.value)
    tolerance = max(
        0.25 * abs(capex.value), 0.15 * max(abs(open_.value), abs(close.value)), 2 * close.unit
    )
    # disposals only lower the balance: a decrease bigger than expected is explainable
    if change <= expected + tolerance and change >= expected - tolerance - 0.5 * abs(open_.value):
        ctx.passed(CHECK)
        return
    ctx.failed(
        CHECK,
        key=("ppe", close.table.id, cy),
        severity=Severity.low,
        title="Change in property, plant and equipment does not match additions and depreciation",
        description=(
            f"Property, plant and equipment moved by {fmt(change)} in {cy}; purchases of "
            f"{fmt(abs(capex.value))} less depreciation of {fmt(abs(dep.value))} give "
            f"{fmt(expected)}."
        ),
        reference="IAS 16.73(e)",
        locations=[close.location(), open_.location(), capex.location(), dep.location()],
        claim=f"PPE {fmt(open_.value)} -> {fmt(close.value)}",
        contradiction=f"Purchases {fmt(abs(capex.value))} - depreciation {fmt(abs(dep.value))}",
    )


def _shares(ctx: LogicContext, cy: int) -> None:
    sofp = ctx.document.statement_tables(StatementKind.FINANCIAL_POSITION)
    cfs = ctx.document.statement_tables(StatementKind.CASH_FLOWS)
    if len(sofp) != 1 or not cfs:
        return
    table = sofp[0]
    cols = ctx.facts.columns[table.id]
    if cy not in cols or cy - 1 not in cols:
        return
    rows = [
        r
        for r in table.rows
        if _SHARE_PREMIUM.match(normalise(r.label).strip())
        or ctx.facts.concepts.get("share_capital")
        and any(r is x for _, x in ctx.facts.concepts["share_capital"])
    ]
    proceeds = [
        (t, r)
        for t in cfs
        for r in t.rows
        if _PROCEEDS_SHARES.match(normalise(r.label)) and cy in ctx.facts.columns[t.id]
    ]
    if not rows or len(proceeds) != 1:
        return
    pt, pr = proceeds[0]
    p = pr.value(ctx.facts.columns[pt.id][cy][0])
    vals = [(r.value(cols[cy][0]), r.value(cols[cy - 1][0])) for r in rows]
    if p is None or any(a is None or b is None for a, b in vals):
        ctx.skipped(CHECK)
        return
    change = sum((a or 0.0) - (b or 0.0) for a, b in vals) * table.scale
    cash = abs(p) * pt.scale
    if cash == 0 or change >= cash * 0.5 - 2 * table.scale:
        ctx.passed(CHECK)
        return
    ctx.failed(
        CHECK,
        key=("shares", table.id, cy),
        severity=Severity.low,
        title="Share issue proceeds without a matching rise in share capital",
        description=(
            f"The cash-flow statement shows {fmt(cash)} received from issuing shares in {cy}, but "
            f"share capital and premium rose by only {fmt(change)}."
        ),
        reference="IAS 1.106(d)",
        locations=[
            Location(
                table=pt.id, cells=[CellRef(row=pr.index, column=ctx.facts.columns[pt.id][cy][0])]
            ),
            *(
                Location(table=table.id, cells=[CellRef(row=r.index, column=cols[cy][0])])
                for r in rows
            ),
        ],
        claim=f"'{pr.label.strip()}' {pr.cells[ctx.facts.columns[pt.id][cy][0]].text.strip()}",
        contradiction=f"Share capital and premium change {fmt(change)}",
    )
