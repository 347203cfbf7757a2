"""Signs and relations between figures: what cannot be negative, parts vs wholes, share counts,
and lines a thousand times out of line.

DQC 0015 (non-negative elements), DQC 0128 (part larger than its whole), DQC 0009 (outstanding
<= issued <= authorised) and DQC 0091/0095/0192 (scale errors) re-implemented over the parsed
tables. Only lines whose label names the concept exactly are checked.
"""

from __future__ import annotations

import re

from generated.models import CellRef, Location, LogicCheck, Severity
from server.agents.logic.base import LogicContext, fmt, label_key, paragraph_location
from server.agents.vocabulary import label_is
from server.ingest.document import Paragraph, Row, RowKind, StatementKind, Table
from server.text.labels import normalise
from server.text.rounding import coarsest, tolerance
from server.text.sentences import sentences

_NON_NEGATIVE: dict[StatementKind, tuple[str, ...]] = {
    StatementKind.FINANCIAL_POSITION: (
        "total_assets",
        "current_assets",
        "non_current_assets",
        "cash",
        "share_capital",
        "ppe",
        "inventories",
        "trade_receivables",
        "investment_property",
        "goodwill",
        "intangible_assets",
        "right_of_use_assets",
    ),
    StatementKind.PROFIT_OR_LOSS: ("revenue",),
    StatementKind.COMPREHENSIVE_INCOME: ("revenue",),
}
_SHARES = re.compile(r"^(weighted average )?number of (ordinary |issued )?shares( outstanding)?\b")
_PARTS = (
    ("cash", "current_assets"),
    ("inventories", "current_assets"),
    ("trade_receivables", "current_assets"),
    ("ppe", "non_current_assets"),
    ("current_assets", "total_assets"),
    ("non_current_assets", "total_assets"),
    ("current_liabilities", "total_liabilities"),
    ("non_current_liabilities", "total_liabilities"),
)


def _loc(table: Table, row: Row, cols: list[int]) -> Location:
    loc = Location(table=table.id, cells=[CellRef(row=row.index, column=c) for c in cols])
    if table.title:
        loc.table_title = table.title
    return loc


_ALWAYS_NON_NEGATIVE = re.compile(
    r"^(total )?(revenues?|net sales|gross sales|turnover|cash and cash equivalents|cash at bank"
    r"( and (in|on) hand)?|cash (in|on) hand|cash and bank balances|bank balances|inventor(y|ies)"
    r"|share premium( account)?|(issued |ordinary )?share capital|stated capital|right-of-use assets?"
    r"|(other )?intangible assets|goodwill|property, plant and equipment|investment propert(y|ies)"
    r"|total (current |non-current )?assets( impacted| affected)?)"
    r"( at (the )?(close|end|beginning|start)( of (the )?(year|period))?| at \d{1,2} [a-z]+ \d{4})?$"
)
# Titles of tables whose lines may be negative whatever their label (a restatement table is not
# one: its adjustment columns are skipped by their headers instead).
_TAX_OR_MOVEMENT_TITLE = re.compile(
    r"\b(tax|deferred|movements?|changes?|increase|decrease|adjustments?|differences?|sensitivity)"
)
_TAX_OR_MOVEMENT = re.compile(
    r"\b(tax|deferred|movements?|changes?|charge|credit|recognised|increase|decrease|effect|impact"
    r"|adjustments?|differences?|sensitivity|restatement|losses|accumulated|eliminations?"
    r"|impairments?)"
)
# Rows that make a note table a cash-flow, tax, impairment or segment reconciliation: there a
# line named "Inventories" is a movement ("Inventories (1,121)" in operating cash flows), a
# temporary difference or an elimination, not a balance. Only its balances are checked.
_MOVEMENT_ROWS = re.compile(
    r"\b(net cash (provided|used|from|generated|inflow|outflow)|operating activities"
    r"|changes? in (operating |working capital|assets and liabilities|other assets)|working capital"
    r"|deferred (income )?tax|valuation allowance|impairments?|write-?(downs?|offs?)"
    r"|accumulated (amorti[sz]ation|depreciation)|eliminations?|intersegment|total losses)\b"
)
_CASH_FLOW_TITLE = re.compile(r"\bcash flows?\b")
_NET_CASH = re.compile(r"\bnet cash (provided|used|from|generated|inflow|outflow)")
_BALANCE = re.compile(r"\bat (the )?(close|end|beginning|start)\b|\bat \d{1,2} [a-z]+ \d{4}$")


def _movement_table(table: Table) -> bool:
    """A cash-flow statement, or a note whose rows show it reconciles movements (see above)."""
    if table.statement is StatementKind.CASH_FLOWS:
        return True
    if table.statement is StatementKind.FINANCIAL_POSITION:
        return False
    if _CASH_FLOW_TITLE.search(normalise(table.title or "")) or any(
        _NET_CASH.search(label_key(r)) for r in table.rows
    ):
        return True  # a cash-flow statement, whatever it was recognised as
    if table.statement is not None:
        return False
    return any(_MOVEMENT_ROWS.search(label_key(r)) for r in table.rows)


def check_signs(ctx: LogicContext) -> None:
    """DQC 0015: revenue, assets, cash, share capital and share counts are never negative.

    Lines of the primary statements are checked by concept; any table's line whose whole label
    names such an item is checked too (notes repeat them), at medium severity outside the primary
    statements, where a label can be shorthand for a net or movement figure.
    """
    for table in ctx.document.tables:
        concepts = _NON_NEGATIVE.get(table.statement) if table.statement else None
        primary = table.statement in _NON_NEGATIVE
        if not primary and _TAX_OR_MOVEMENT_TITLE.search(normalise(table.title or "")):
            continue  # temporary differences and movements may be negative
        movements = _movement_table(table)
        for row in table.rows:
            if row.kind in (RowKind.HEADING, RowKind.SPACER):
                continue
            key = label_key(row)
            if movements and not _BALANCE.search(key):
                continue
            if (
                concepts
                and any(label_is(key, c) for c in concepts)
                or _ALWAYS_NON_NEGATIVE.match(key)
            ):
                what = (
                    "Revenue"
                    if re.match(r"^(total )?(revenue|net sales|gross sales|turnover)", key)
                    else "This line"
                )
            elif _SHARES.match(key):
                what = "A number of shares"
            else:
                continue
            for col in (c.index for c in table.amount_columns()):
                v = row.value(col)
                if v is None or row.cells[col].percent:
                    continue
                if _TAX_OR_MOVEMENT.search(normalise(table.columns[col].header)):
                    continue
                if v >= 0:
                    ctx.passed(LogicCheck.sign)
                    continue
                text = row.cells[col].text.strip()
                period = table.columns[col].header.strip() or table.columns[col].period or ""
                ctx.failed(
                    LogicCheck.sign,
                    key=(table.id, row.index, col),
                    severity=Severity.high if primary else Severity.medium,
                    title=f"Negative value for '{row.label.strip()}' ({period})",
                    description=(
                        f"{what} cannot be negative, but '{row.label.strip()}' is printed as "
                        f"{text} in {table.title or table.id} ({period})."
                    ),
                    reference="DQC 0015",
                    locations=[_loc(table, row, [col])],
                    claim=f"'{row.label.strip()}' {period}: {text}",
                    contradiction="The item is by nature zero or positive.",
                )


def check_parts(ctx: LogicContext) -> None:
    """DQC 0128: a part of the statement of financial position is not larger than its whole."""
    for year in (ctx.facts.current_year, ctx.facts.prior_year):
        if year is None:
            continue
        for part_c, whole_c in _PARTS:
            part, whole = ctx.facts.figure(part_c, year), ctx.facts.figure(whole_c, year)
            if part is None or whole is None:
                continue
            if (
                part.table.id != whole.table.id
                or part.table.statement is not StatementKind.FINANCIAL_POSITION
            ):
                ctx.skipped(LogicCheck.part_whole)
                continue
            if part.printed < 0 or whole.printed < 0 or part.row.index == whole.row.index:
                continue
            if part.printed <= whole.printed:
                ctx.passed(LogicCheck.part_whole)
                continue
            ctx.failed(
                LogicCheck.part_whole,
                key=(part.table.id, part.row.index, whole.row.index, part.column),
                severity=Severity.high,
                title=f"'{part.row.label.strip()}' exceeds '{whole.row.label.strip()}' ({year})",
                description=(
                    f"{part.describe()} is larger than {whole.describe()}, which includes it."
                ),
                reference="DQC 0128",
                locations=[part.location(), whole.location()],
                claim=part.describe(),
                contradiction=f"It is part of {whole.describe()}.",
            )
    _of_which(ctx)


def _of_which(ctx: LogicContext) -> None:
    """An "of which" line is not larger than the line above it."""
    for table in ctx.document.tables:
        parent: Row | None = None
        for row in table.rows:
            key = label_key(row)
            if not key.startswith(("of which", "- of which", "including:")):
                if row.kind not in (RowKind.SPACER, RowKind.HEADING):
                    parent = row
                continue
            if parent is None:
                continue
            for _year, cols in ctx.facts.columns[table.id].items():
                for col in cols:
                    v, w = row.value(col), parent.value(col)
                    if v is None or w is None or (v < 0) != (w < 0):
                        continue
                    if abs(v) <= abs(w):
                        ctx.passed(LogicCheck.part_whole)
                        continue
                    ctx.failed(
                        LogicCheck.part_whole,
                        key=(table.id, row.index, col),
                        severity=Severity.medium,
                        title=f"'{row.label.strip()}' exceeds the line it is part of",
                        description=(
                            f"'{row.label.strip()}' ({row.cells[col].text.strip()}) is larger than "
                            f"'{parent.label.strip()}' ({parent.cells[col].text.strip()})."
                        ),
                        reference="DQC 0128",
                        locations=[_loc(table, row, [col]), _loc(table, parent, [col])],
                        claim=f"'{row.label.strip()}': {row.cells[col].text.strip()}",
                        contradiction=f"'{parent.label.strip()}': {parent.cells[col].text.strip()}",
                    )


_ROLE_ROW = {
    "authorised": re.compile(r"\bauthorised\b"),
    "issued": re.compile(
        r"^(number of shares )?(issued|issued and fully paid|issued and paid[- ]up)\b(?!.*\b(during|in the year|new)\b)"
    ),
    "outstanding": re.compile(
        r"^(number of )?(ordinary )?shares outstanding\b|^outstanding at (the )?end"
    ),
}
_COUNT = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)\s+(?:ordinary\s+|common\s+)?shares\b", re.I)


def check_share_order(ctx: LogicContext) -> None:
    """DQC 0009: shares outstanding <= issued <= authorised, in tables and in the text."""
    for table in ctx.document.tables:
        roles: dict[str, Row] = {}
        for row in table.rows:
            key = label_key(row)
            if "share" not in key and "share" not in (table.title or "").lower():
                continue
            for role, pattern in _ROLE_ROW.items():
                if (
                    pattern.search(key)
                    and role not in roles
                    and (role != "issued" or "authorised" not in key)
                ):
                    roles[role] = row
        for small, big in (("issued", "authorised"), ("outstanding", "issued")):
            if small in roles and big in roles:
                _compare_rows(ctx, table, roles[small], roles[big], small, big)
    _text_share_order(ctx)


def _compare_rows(
    ctx: LogicContext, table: Table, small: Row, big: Row, s_name: str, b_name: str
) -> None:
    for col in table.columns:
        a, b = small.value(col.index), big.value(col.index)
        if a is None or b is None or a <= 0 or b <= 0:
            continue
        if a <= b:
            ctx.passed(LogicCheck.ordering)
            continue
        ctx.failed(
            LogicCheck.ordering,
            key=(table.id, small.index, big.index, col.index),
            severity=Severity.high,
            title=f"Shares {s_name} exceed shares {b_name}",
            description=(
                f"'{small.label.strip()}' ({small.cells[col.index].text.strip()}) is larger than "
                f"'{big.label.strip()}' ({big.cells[col.index].text.strip()})."
            ),
            reference="DQC 0009",
            locations=[_loc(table, small, [col.index]), _loc(table, big, [col.index])],
            claim=f"{s_name}: {small.cells[col.index].text.strip()}",
            contradiction=f"{b_name}: {big.cells[col.index].text.strip()}",
        )


def _text_share_order(ctx: LogicContext) -> None:
    found: dict[str, tuple[float, str, Paragraph]] = {}
    for p in ctx.document.paragraphs:
        for s in sentences(p.text):
            low = s.text.lower()
            counts = _COUNT.findall(s.text)
            if len(counts) != 1:
                continue
            has_auth = bool(re.search(r"\bauthori[sz]ed\b", low))
            has_issued = bool(re.search(r"\bissued\b", low)) and not re.search(
                r"\b(during|new|were issued)\b", low
            )
            if has_auth and not has_issued:
                role = "authorised"
            elif has_issued and not has_auth:
                role = "issued"
            else:
                continue
            if role not in found:
                found[role] = (float(counts[0].replace(",", "")), s.text, p)
    if "issued" in found and "authorised" in found:
        issued, auth = found["issued"], found["authorised"]
        if issued[0] <= auth[0]:
            ctx.passed(LogicCheck.ordering)
            return
        pi, pa = issued[2], auth[2]
        ctx.failed(
            LogicCheck.ordering,
            key=(pi.id, pa.id, "text"),
            severity=Severity.high,
            title="More shares issued than authorised",
            description=f"The text states {fmt(issued[0])} shares issued but {fmt(auth[0])} authorised.",
            reference="DQC 0009",
            locations=[paragraph_location(pi, issued[1]), paragraph_location(pa, auth[1])],
            claim=issued[1],
            contradiction=auth[1],
        )


def check_scale(ctx: LogicContext) -> None:
    """DQC 0091/0095/0192: a line about 1,000 times its comparative or the total that holds it."""
    cy, py = ctx.facts.current_year, ctx.facts.prior_year
    for table in ctx.document.tables:
        cols = ctx.facts.columns[table.id]
        for row in table.rows:
            if row.kind in (RowKind.HEADING, RowKind.SPACER):
                continue
            if cy in cols and py in cols:
                c, p = cols[cy][0], cols[py][0]
                a, b = row.value(c), row.value(p)
                if a and b and not row.cells[c].percent:
                    ratio = abs(a) / abs(b)
                    if max(abs(a), abs(b)) >= 1000 and (
                        400 <= ratio <= 2500 or 1 / 2500 <= ratio <= 1 / 400
                    ):
                        big, small = (c, p) if ratio > 1 else (p, c)
                        if _footing_confirms(table, row, big):
                            ctx.passed(LogicCheck.scale)  # the parts add up to it as printed
                        elif _near_zero(table, row, small):
                            ctx.skipped(LogicCheck.scale)  # 47,276 against (23): nearly nil
                        else:
                            _scale_finding(
                                ctx,
                                table,
                                row,
                                big,
                                small,
                                ratio if ratio > 1 else 1 / ratio,
                                "its comparative",
                            )
                    else:
                        ctx.passed(LogicCheck.scale)
            _scale_against_total(ctx, table, row)


def _scale_against_total(ctx: LogicContext, table: Table, total: Row) -> None:
    if not total.components:
        return
    for col in (c.index for c in table.amount_columns()):
        t = total.value(col)
        if not t:
            continue
        for idx, _sign in total.components:
            if idx >= len(table.rows):
                continue
            comp = table.rows[idx]
            v = comp.value(col)
            if v and abs(v) >= 1000 and abs(v) / abs(t) >= 400:
                if _adds_up(table, total, col):
                    continue  # large parts that net to a small total, as printed
                _scale_finding(
                    ctx,
                    table,
                    comp,
                    col,
                    col,
                    abs(v) / abs(t),
                    f"the total '{total.label.strip()}'",
                )


def _footing_confirms(table: Table, row: Row, col: int) -> bool:
    """The figure is a total whose parts add up to it, or a part of a total that adds up, in
    its column: the printed figures confirm its scale (issue 14: no scale alarm there)."""
    return any(
        _adds_up(table, total, col)
        for total in table.rows
        if total.components and (total is row or any(i == row.index for i, _ in total.components))
    )


def _adds_up(table: Table, total: Row, col: int) -> bool:
    t = total.value(col)
    parts = [(table.rows[i], s) for i, s in total.components if i < len(table.rows)]
    printed = [r for r, _ in parts if r.value(col) is not None and not r.cells[col].nil]
    if t is None or not printed:
        return False
    expected = sum(s * (r.value(col) or 0.0) for r, s in parts)
    unit = coarsest(total.cells[col].unit, *(r.cells[col].unit for r in printed))
    return abs(t - expected) <= tolerance(len(printed), unit)


def _near_zero(table: Table, row: Row, col: int) -> bool:
    """A comparative under 1% of the largest figure of its column: a line that was nearly nil
    that year, so a change of a thousand times is ordinary, not a figure in the wrong units."""
    value = row.value(col)
    biggest = max((abs(v) for r in table.rows if (v := r.value(col)) is not None), default=0.0)
    return value is not None and abs(value) * 100 < biggest


def _scale_finding(
    ctx: LogicContext, table: Table, row: Row, col: int, other: int, ratio: float, against: str
) -> None:
    ctx.failed(
        LogicCheck.scale,
        key=(table.id, row.index, col),
        severity=Severity.medium,
        title=f"'{row.label.strip()}' looks 1,000x out of scale",
        description=(
            f"'{row.label.strip()}' ({row.cells[col].text.strip()}) is about {ratio:,.0f} times "
            f"{against}; a figure entered in units instead of {table.scale_label} would do this."
        ),
        reference="DQC 0091/0095/0192",
        locations=[_loc(table, row, sorted({col, other}))],
        claim=f"'{row.label.strip()}': {row.cells[col].text.strip()}",
        contradiction=f"{against}: about 1/{ratio:,.0f} of it",
    )
