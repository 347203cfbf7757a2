"""Rates stated in the text against the rates the figures imply.

- Effective tax rate stated vs tax / profit before tax (IAS 12.81(c)).
- The applicable (statutory) tax rate stated in the text or in the reconciliation's label vs the
  reconciliation line "tax at the applicable rate" / profit before tax.
- Pre-tax vs post-tax discount rate vs the tax rate (IAS 36.55): pre-tax is at least post-tax and
  not far above post-tax / (1 - t).
- A weighted-average interest rate vs finance costs / average borrowings: wide tolerance, low
  severity, because finance costs also hold lease interest, fees and unwinding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generated.models import CellRef, Location, LogicCheck, Severity
from server.agents.logic.base import LogicContext, label_key, paragraph_location
from server.agents.logic.mentions import mentions
from server.ingest.document import ColumnRole, Paragraph, Row, StatementKind, Table
from server.text.labels import normalise
from server.text.sentences import sentences

CHECK = LogicCheck.rate
_ETR = re.compile(r"\beffective (income )?tax rate\b")
_STATUTORY = re.compile(
    r"\b(statutory|applicable|domestic|standard|corporate|corporation|enacted|nominal|headline)"
    r" (corporate |income |profit |corporation )?(income )?tax rate\b"
    r"|\b(income|corporate|corporation|profits?) tax (is levied |is charged |was charged |applies |is calculated |is computed |was calculated )?at (a rate of )?\d"
)
_TAX_AT_RATE = re.compile(
    r"^(income )?tax (at|calculated at|using|computed at|based on)\b.*\brate|^(tax|income tax) (effect )?at (the )?\d"
    r"|^notional (income )?tax|^income tax using|^expected (income )?tax (expense|charge)"
    r"|^theoretical (income )?tax|^tax at (the )?(statutory|applicable|domestic|corporate)"
)
_PRE_TAX = re.compile(
    r"\bpre-tax discount rates?\b|\bpre-tax rates?\b|\bdiscount rates? before tax"
)
_POST_TAX = re.compile(
    r"\bpost-tax discount rates?\b|\bpost-tax rates?\b|\bdiscount rates? after tax"
)
_INTEREST = re.compile(
    r"\bweighted average (effective )?interest rate\b|\baverage (effective )?interest rate\b"
)
_AT_PCT = re.compile(r"\bat\s+(\d{1,2}(?:\.\d{1,2})?)\s?%")
_PCT_IN_LABEL = re.compile(r"(\d{1,2}(?:\.\d{1,2})?)\s?%")


@dataclass(frozen=True, slots=True)
class RateText:
    rate: float  # percent
    step: float  # precision of the written percentage
    year: int
    paragraph: Paragraph
    sentence: str


def _stated(ctx: LogicContext, pattern: re.Pattern[str]) -> list[RateText]:
    """The percentage that follows each phrase matching `pattern`, and its comparative."""
    out: list[RateText] = []
    cy = ctx.facts.current_year
    if cy is None:
        return out
    for p in ctx.document.paragraphs:
        for s in sentences(p.text):
            low = (
                s.text.lower().replace("\u2011", "-").replace("\u2013", "-").replace("\u00a0", " ")
            )
            found = pattern.search(low)
            if not found:
                continue
            ms = mentions(s.text)
            years = {int(m.number) for m in ms if m.kind == "year"}
            pcts = [m for m in ms if m.kind == "percent" and m.start >= found.start()]
            if not pcts or pcts[0].start - found.end() > 60 or (years - {cy, cy - 1}):
                continue
            first = pcts[0]
            year = cy
            if years == {cy - 1} and not re.search(r"\(\s*(19|20)\d\d\s*:", s.text):
                year = cy - 1
            if re.search(r"\(\s*(19|20)\d\d\s*:\s*$", s.text[: first.start]):
                continue  # the first figure is itself a comparative
            out.append(RateText(first.number, first.step, year, p, s.text))
            comp = re.match(
                r"\s*\(\s*((?:19|20)\d\d)\s*:\s*(\d{1,2}(?:\.\d+)?)\s?%", s.text[first.end :]
            )
            if comp:
                dec = len(comp.group(2).split(".")[1]) if "." in comp.group(2) else 0
                out.append(
                    RateText(float(comp.group(2)), 10.0**-dec, int(comp.group(1)), p, s.text)
                )
    return out


def _tax_and_pbt(ctx: LogicContext, year: int) -> tuple[float, float] | None:
    """Tax expense (positive = charge) and profit before tax, when the P&L makes them clear."""
    pbt = ctx.facts.figure("profit_before_tax", year)
    profit = ctx.facts.figure("profit_for_year", year)
    if pbt is None or profit is None or pbt.table.id != profit.table.id:
        return None
    pbt_v = pbt.value
    if "loss" in label_key(pbt.row) and "profit" not in label_key(pbt.row) and pbt_v > 0:
        pbt_v = -pbt_v
    profit_v = profit.value
    if "loss" in label_key(profit.row) and "profit" not in label_key(profit.row) and profit_v > 0:
        profit_v = -profit_v
    lo, hi = sorted((pbt.row.index, profit.row.index))
    if any("discontinued" in label_key(r) for r in pbt.table.rows[lo:hi]):
        return None  # profit includes discontinued operations: tax is not the difference
    return pbt_v - profit_v, pbt_v


@dataclass(frozen=True, slots=True)
class TableRate:
    rate: float
    year: int | None  # None: a rate written in the row label, for every period of the table
    table: Table
    row: Row
    column: int | None

    def location(self) -> Location:
        col = self.column if self.column is not None else self.table.label_column()
        return Location(table=self.table.id, cells=[CellRef(row=self.row.index, column=col)])


_RATE_ROW = re.compile(
    r"\btax\b.*\b(rate|at \d)|(statutory|standard|applicable|domestic|corporate|enacted|nominal|headline)"
    r"[a-z ]{0,30}\brate\b|^(income )?tax (at|on)\b"
)
_EFFECTIVE_ROW = re.compile(r"\beffective (income )?tax rate\b")


def _table_rates(ctx: LogicContext) -> dict[str, list[TableRate]]:
    """Tax rates printed in tax tables: in row labels ("Tax at 25%") or percent columns."""
    out: dict[str, list[TableRate]] = {"statutory": [], "effective": []}
    for table in ctx.document.tables:
        if table.statement is not None:
            continue
        scope = normalise(f"{table.title or ''} {_section_title(ctx, table)}")
        pct_cols = {
            c.index: _year_of(c.period or c.header, c.year)
            for c in table.columns
            if c.role is ColumnRole.PERCENT
        }
        for row in table.rows:
            key = label_key(row)
            if "tax" not in scope and "tax" not in key:
                continue
            kind = (
                "effective"
                if _EFFECTIVE_ROW.search(key)
                else ("statutory" if _RATE_ROW.search(key) else None)
            )
            if kind is None:
                continue
            label_rates = [float(m.group(1)) for m in _AT_PCT.finditer(row.label)] or [
                float(m.group(1)) for m in _PCT_IN_LABEL.finditer(row.label)
            ]  # "Tax on export sales (11.90% at 8%)": the rate is the one after "at"
            for rate in label_rates:
                out[kind].append(TableRate(rate, None, table, row, None))
            for col, year in pct_cols.items():
                v = row.value(col)
                if v is not None:
                    out[kind].append(TableRate(abs(v), year, table, row, col))
    return out


def _section_title(ctx: LogicContext, table: Table) -> str:
    section = ctx.document.section(table.section_id)
    return section.title if section else ""


def _year_of(text: str, year: int | None) -> int | None:
    if year is not None:
        return year
    m = re.search(r"\b(19|20)\d\d\b", text)
    return int(m.group(0)) if m else None


def _statutory_texts(ctx: LogicContext) -> list[RateText]:
    """Every percentage in sentences about the statutory rate, with its year."""
    cy = ctx.facts.current_year
    out: list[RateText] = []
    if cy is None:
        return out
    for p in ctx.document.paragraphs:
        for s in sentences(p.text):
            low = s.text.lower().replace("\u00a0", " ")
            statutory = [m.start() for m in _STATUTORY.finditer(low)]
            if not statutory:
                continue
            effective = [m.start() for m in _ETR.finditer(low)]
            for m in mentions(s.text):
                if m.kind != "percent":
                    continue
                last_statutory = max((e for e in statutory if e <= m.start), default=-1)
                last_effective = max((e for e in effective if e <= m.start), default=-1)
                if last_statutory < 0 or last_effective > last_statutory:
                    continue  # this figure belongs to the effective rate named just before it
                comp = re.search(r"\(\s*((?:19|20)\d\d)\s*:\s*$", s.text[: m.start])
                year = int(comp.group(1)) if comp else cy
                out.append(RateText(m.number, m.step, year, p, s.text))
    return out


def _statutory_consistency(ctx: LogicContext, rates: list[TableRate]) -> None:
    """The statutory rate stated in the text agrees with the tax tables, or with itself."""
    texts = _statutory_texts(ctx)
    if rates:
        for t in texts:
            candidates = [r for r in rates if r.year in (None, t.year)]
            if not candidates:
                continue
            if any(abs(r.rate - t.rate) <= t.step / 2 + 0.051 for r in candidates):
                ctx.passed(CHECK)
                continue
            shown = ", ".join(sorted({f"{r.rate:g}%" for r in candidates}))
            ctx.failed(
                CHECK,
                key=(t.paragraph.id, t.year, t.rate, "statutory"),
                severity=Severity.medium,
                title=f"Stated tax rate {t.rate:g}% is not the rate in the tax reconciliation ({t.year})",
                description=(
                    f"The text states a tax rate of {t.rate:g}% for {t.year}; the tax tables apply {shown}."
                ),
                reference="IAS 12.81(c)",
                locations=[paragraph_location(t.paragraph, t.sentence), candidates[0].location()],
                claim=t.sentence,
                contradiction=f"Rates in the tax reconciliation: {shown}",
            )
        return
    by_year: dict[int, list[RateText]] = {}
    for t in texts:
        by_year.setdefault(t.year, []).append(t)
    for year, group in by_year.items():
        values = sorted({round(t.rate, 2) for t in group})
        if len(group) < 2:
            continue
        if len(values) == 1:
            ctx.passed(CHECK)
            continue
        first, other = (
            group[0],
            next(t for t in group if round(t.rate, 2) != round(group[0].rate, 2)),
        )
        if first.sentence == other.sentence:
            continue  # one sentence naming several rates (local and export sales)
        ctx.failed(
            CHECK,
            key=(first.paragraph.id, other.paragraph.id, year, "statutory-text"),
            severity=Severity.medium,
            title=f"Two different tax rates stated for {year}: {first.rate:g}% and {other.rate:g}%",
            description=(
                f"The document states the applicable tax rate for {year} as {first.rate:g}% in one "
                f"place and {other.rate:g}% in another."
            ),
            reference="IAS 12.81(c)-(d)",
            locations=[
                paragraph_location(first.paragraph, first.sentence),
                paragraph_location(other.paragraph, other.sentence),
            ],
            claim=other.sentence,
            contradiction=first.sentence,
        )


def check_rates(ctx: LogicContext) -> None:
    table_rates = _table_rates(ctx)
    _effective_rate(ctx, table_rates["effective"])
    _statutory_consistency(ctx, table_rates["statutory"])
    applicable = _reconciliation(ctx)
    _discount_rates(ctx, applicable)
    _interest_rate(ctx)


def _effective_rate(ctx: LogicContext, printed: list[TableRate]) -> None:
    for stated in _stated(ctx, _ETR):
        same_year = [r for r in printed if r.year == stated.year]
        if same_year:
            if any(abs(r.rate - stated.rate) <= stated.step / 2 + 0.051 for r in same_year):
                ctx.passed(CHECK)
                continue
            r = same_year[0]
            ctx.failed(
                CHECK,
                key=(stated.paragraph.id, stated.year, "etr-table"),
                severity=Severity.medium,
                title=f"Stated effective tax rate {stated.rate:g}% disagrees with the tax reconciliation ({stated.year})",
                description=(
                    f"The text states an effective tax rate of {stated.rate:g}% for {stated.year}; the "
                    f"reconciliation prints {r.rate:g}%."
                ),
                reference="IAS 12.81(c)",
                locations=[paragraph_location(stated.paragraph, stated.sentence), r.location()],
                claim=stated.sentence,
                contradiction=f"'{r.row.label.strip()}' {stated.year}: {r.rate:g}%",
            )
            continue
        tp = _tax_and_pbt(ctx, stated.year)
        if tp is None or tp[1] <= 0:
            ctx.skipped(CHECK)
            continue
        tax, pbt = tp
        unit = ctx.facts.figure("profit_before_tax", stated.year)
        u = unit.unit if unit else 1.0
        rates = [
            (tax + dt) / (pbt + dp) * 100
            for dt in (-u, u)
            for dp in (-u / 2, u / 2)
            if pbt + dp > 0
        ]
        lo, hi = min(rates), max(rates)
        tol = stated.step / 2 + 1.0
        if lo - tol <= stated.rate <= hi + tol:
            ctx.passed(CHECK)
            continue
        implied = tax / pbt * 100
        ctx.failed(
            CHECK,
            key=(stated.paragraph.id, stated.year, "etr"),
            severity=Severity.medium,
            title=f"Stated effective tax rate {stated.rate:g}% disagrees with the figures ({stated.year})",
            description=(
                f"The text states an effective tax rate of {stated.rate:g}% for {stated.year}; income "
                f"tax / profit before tax in the statements gives {implied:.1f}%."
            ),
            reference="IAS 12.81(c)",
            locations=[paragraph_location(stated.paragraph, stated.sentence)],
            claim=stated.sentence,
            contradiction=f"Tax {tax:,.0f} / profit before tax {pbt:,.0f} = {implied:.1f}%",
        )


def _reconciliation_rows(ctx: LogicContext) -> list[tuple[Table, Row]]:
    return [
        (t, r)
        for t in ctx.document.tables
        if t.statement is None
        for r in t.rows
        if _TAX_AT_RATE.search(label_key(r))
    ]


def _reconciliation(ctx: LogicContext) -> float | None:
    """Check "tax at the applicable rate" lines; return the applicable rate they imply."""
    cy = ctx.facts.current_year
    stated_texts = [s for s in _stated(ctx, _STATUTORY) if s.year == cy]
    implied_current: float | None = None
    for table, row in _reconciliation_rows(ctx):
        label_rate = _PCT_IN_LABEL.search(row.label)
        for year, cols in ctx.facts.columns[table.id].items():
            v = row.value(cols[0])
            pbt = _pbt_for(ctx, table, year)
            if v is None or pbt is None or pbt[0] <= 0:
                continue
            pbt_printed, unit = pbt
            implied = abs(v) * table.scale / pbt_printed * 100
            half = (table.scale / 2 + unit / 2) / pbt_printed * 100 + abs(
                v
            ) * table.scale * unit / 2 / pbt_printed**2 * 100
            if year == cy:
                implied_current = implied
            claims: list[tuple[float, float, Location, str]] = []
            if label_rate:
                dec = len(label_rate.group(1).split(".")[1]) if "." in label_rate.group(1) else 0
                loc = Location(table=table.id, cells=[CellRef(row=row.index, column=cols[0])])
                claims.append((float(label_rate.group(1)), 10.0**-dec, loc, row.label.strip()))
            if year == cy and len(stated_texts) == 1:
                st = stated_texts[0]
                claims.append(
                    (st.rate, st.step, paragraph_location(st.paragraph, st.sentence), st.sentence)
                )
            for rate, step, loc, claim in claims:
                if abs(rate - implied) <= step / 2 + half + 0.1:
                    ctx.passed(CHECK)
                    continue
                ctx.failed(
                    CHECK,
                    key=(table.id, row.index, year, claim[:40]),
                    severity=Severity.medium,
                    title=f"Applicable tax rate {rate:g}% disagrees with the tax reconciliation ({year})",
                    description=(
                        f"'{row.label.strip()}' is {row.cells[cols[0]].text.strip()} against profit "
                        f"before tax of {pbt_printed:,.0f}: a rate of {implied:.1f}%, not {rate:g}%."
                    ),
                    reference="IAS 12.81(c)",
                    locations=[
                        loc,
                        Location(table=table.id, cells=[CellRef(row=row.index, column=cols[0])]),
                    ],
                    claim=claim,
                    contradiction=f"Tax at the applicable rate / profit before tax = {implied:.1f}%",
                )
    if implied_current is None and len(stated_texts) == 1:
        return stated_texts[0].rate
    return implied_current


def _pbt_for(ctx: LogicContext, table: Table, year: int) -> tuple[float, float] | None:
    """Profit before tax for a reconciliation: its own first line, else the P&L's."""
    cols = ctx.facts.columns[table.id].get(year)
    if cols:
        for row in table.rows[:4]:
            key = label_key(row)
            if (
                re.match(
                    r"^(accounting )?(profit|loss|profit/loss)( before (income )?tax(ation)?)?", key
                )
                and "tax at" not in key
            ):
                v = row.value(cols[0])
                if v is not None and "before" in key:
                    return (
                        abs(v) * table.scale if "loss" not in key else -abs(v) * table.scale,
                        table.scale,
                    )
    f = ctx.facts.figure("profit_before_tax", year)
    if f is None or f.table.statement not in (
        StatementKind.PROFIT_OR_LOSS,
        StatementKind.COMPREHENSIVE_INCOME,
    ):
        return None
    return (f.value, f.unit)


def _discount_rates(ctx: LogicContext, tax_rate: float | None) -> None:
    pre = _stated(ctx, _PRE_TAX)
    post = _stated(ctx, _POST_TAX)
    cy = ctx.facts.current_year
    pre = [p for p in pre if p.year == cy and not _POST_TAX.search(p.sentence.lower())]
    post = [p for p in post if p.year == cy and not _PRE_TAX.search(p.sentence.lower())]
    if len(pre) != 1 or len(post) != 1:
        return
    a, b = pre[0], post[0]
    t = (tax_rate or 35.0) / 100
    upper = b.rate / (1 - t) + 3.0
    if b.rate - 0.05 <= a.rate <= upper:
        ctx.passed(CHECK)
        return
    ctx.failed(
        CHECK,
        key=(a.paragraph.id, b.paragraph.id, "discount"),
        severity=Severity.low,
        title="Pre-tax and post-tax discount rates do not fit the tax rate",
        description=(
            f"Pre-tax discount rate {a.rate:g}% against post-tax {b.rate:g}%: with a tax rate of "
            f"{t * 100:g}% the pre-tax rate should lie between {b.rate:g}% and about {upper:.1f}%."
        ),
        reference="IAS 36.55",
        locations=[
            paragraph_location(a.paragraph, a.sentence),
            paragraph_location(b.paragraph, b.sentence),
        ],
        claim=a.sentence,
        contradiction=b.sentence,
    )


def _interest_rate(ctx: LogicContext) -> None:
    stated = [s for s in _stated(ctx, _INTEREST) if s.year == ctx.facts.current_year]
    if len(stated) != 1:
        return
    s = stated[0]
    cy = s.year
    fc = ctx.facts.figure("finance_costs", cy)
    close, open_ = _borrowings(ctx, cy), _borrowings(ctx, cy - 1)
    if fc is None or close is None or open_ is None or close + open_ <= 0:
        ctx.skipped(CHECK)
        return
    implied = abs(fc.value) / ((close + open_) / 2) * 100
    if s.rate / 2.5 <= implied <= s.rate * 2.5 + 1.0:
        ctx.passed(CHECK)
        return
    ctx.failed(
        CHECK,
        key=(s.paragraph.id, "interest"),
        severity=Severity.low,
        title="Stated interest rate far from finance costs / average borrowings",
        description=(
            f"The text states an average interest rate of {s.rate:g}%; finance costs over average "
            f"borrowings give {implied:.1f}%. Finance costs may hold other items; worth a look."
        ),
        reference="IFRS 7.20(b)",
        locations=[paragraph_location(s.paragraph, s.sentence), fc.location()],
        claim=s.sentence,
        contradiction=f"Finance costs {fc.describe()} / average borrowings = {implied:.1f}%",
    )


def _borrowings(ctx: LogicContext, year: int) -> float | None:
    """All borrowings lines of the statement of financial position, summed."""
    total = 0.0
    found = False
    for table, row in ctx.facts.concepts.get("borrowings", []):
        if table.statement is not StatementKind.FINANCIAL_POSITION:
            continue
        cols = ctx.facts.columns[table.id].get(year)
        v = row.value(cols[0]) if cols else None
        if v is not None:
            total += abs(v) * table.scale
            found = True
    return total if found else None
