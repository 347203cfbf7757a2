"""Realistic statement tables, built in memory, for the numeric tests and benchmark.

`table_from_grid` turns a grid of printed strings into a `Table` the way a reader would (header
row, label column, optional "Note" column, figures parsed as printed, structure inferred).
`annual_report` builds a consistent IFRS statement set (profit or loss, comprehensive income,
financial position, changes in equity, cash flows) and note tables that tie to it, so a clean
report yields no finding and a planted error yields exactly the findings it should.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from server.ingest.document import (
    Cell,
    Column,
    ColumnRole,
    Document,
    DocumentKind,
    Row,
    StatementKind,
    Table,
)
from server.ingest.numbers import parse_number
from server.ingest.structure import infer_document_structure, infer_structure

Grid = list[list[str]]
SCALES = {"units": 1.0, "thousands": 1e3, "millions": 1e6, "billions": 1e9}


def table_from_grid(
    table_id: str,
    grid: Grid,
    *,
    statement: StatementKind | None = None,
    note_number: str | None = None,
    title: str | None = None,
    scale_label: str = "thousands",
    currency: str | None = "EUR",
) -> Table:
    """A parsed table from printed text; the first grid row is the header."""
    header = grid[0]
    columns: list[Column] = []
    for i, text in enumerate(header):
        year = re.search(r"\b(19|20)\d\d\b", text)
        if i == 0:
            role = ColumnRole.LABEL
        elif text.strip().lower() in ("note", "notes"):
            role = ColumnRole.NOTE
        else:
            role = ColumnRole.AMOUNT
        columns.append(
            Column(
                index=i,
                header=text,
                role=role,
                period=text if year and role is ColumnRole.AMOUNT else None,
                year=int(year.group(0)) if year and role is ColumnRole.AMOUNT else None,
            )
        )
    note_col = next((c.index for c in columns if c.role is ColumnRole.NOTE), None)
    rows: list[Row] = []
    for r, texts in enumerate(grid[1:]):
        cells = []
        for c, text in enumerate(texts):
            parsed = parse_number(text) if columns[c].role is ColumnRole.AMOUNT else None
            cells.append(
                Cell(
                    text=text,
                    value=parsed.value if parsed else None,
                    nil=parsed.nil if parsed else False,
                    percent=parsed.percent if parsed else False,
                )
            )
        note = texts[note_col].strip() or None if note_col is not None else None
        rows.append(Row(index=r, label=texts[0], cells=cells, note=note))
    table = Table(
        id=table_id,
        index=int(table_id[1:]) - 1,
        columns=columns,
        rows=rows,
        title=title,
        statement=statement,
        note_number=note_number,
        scale=SCALES[scale_label],
        scale_label=scale_label,
        currency=currency,
    )
    infer_structure(table)
    return table


def fmt(value: float | None, *, negative_parens: bool = True) -> str:
    """Print a figure as statements do: thousands commas, parentheses, "-" for nil."""
    if value is None:
        return ""
    if value == 0:
        return "-"
    text = f"{abs(value):,.0f}"
    if value < 0:
        return f"({text})" if negative_parens else f"-{text}"
    return text


@dataclass(slots=True)
class Line:
    """One printed line of a statement: figures for the current and the prior year."""

    label: str
    cy: float | None = None
    py: float | None = None
    note: str = ""

    def grid_row(self, with_note: bool) -> list[str]:
        cells = [self.label]
        if with_note:
            cells.append(self.note)
        return [*cells, fmt(self.cy), fmt(self.py)]


def heading(label: str) -> Line:
    return Line(label)


def spacer() -> Line:
    return Line("")


def total(label: str, parts: Sequence[Line], note: str = "") -> Line:
    cy = sum(p.cy or 0 for p in parts)
    py = sum(p.py or 0 for p in parts)
    return Line(label, cy, py, note)


def two_year_grid(lines: Sequence[Line], cy: int, py: int, with_note: bool = True) -> Grid:
    head = [""] + (["Note"] if with_note else []) + [str(cy), str(py)]
    return [head] + [ln.grid_row(with_note) for ln in lines]


def annual_report(
    seed: int = 0, extra_notes: int = 0, year: int = 2024, expenses_positive: bool = False
) -> Document:
    """A consistent IFRS statement set plus `extra_notes` generic note tables.

    `expenses_positive` prints costs in profit or loss without parentheses, as many preparers
    do ("less" semantics: the totals subtract them)."""
    rng = random.Random(seed)
    b = _Builder(rng, year)
    b.expenses_positive = expenses_positive
    return b.build(extra_notes)


class _Builder:
    def __init__(self, rng: random.Random, year: int) -> None:
        self.rng = rng
        self.cy = year
        self.py = year - 1
        self.tables: list[Table] = []
        self.expenses_positive = False

    def r(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def pair(self, lo: int, hi: int, sign: int = 1) -> tuple[float, float]:
        return float(sign * self.r(lo, hi)), float(sign * self.r(lo, hi))

    def add(
        self,
        grid: Grid,
        *,
        statement: StatementKind | None = None,
        note: str | None = None,
        title: str,
    ) -> Table:
        t = table_from_grid(
            f"t{len(self.tables) + 1}", grid, statement=statement, note_number=note, title=title
        )
        self.tables.append(t)
        return t

    def build(self, extra_notes: int) -> Document:
        cy, py = self.cy, self.py
        # ---- profit or loss
        revenue_split = [self.pair(20_000, 60_000) for _ in range(3)]
        revenue = Line(
            "Revenue",
            sum(a for a, _ in revenue_split),
            sum(b for _, b in revenue_split),
            "5",
        )
        cos = Line("Cost of sales", *self.pair(40_000, 70_000, -1))
        gross = total("Gross profit", [revenue, cos])
        other_income = Line("Other income", *self.pair(500, 2_000))
        distribution = Line("Distribution costs", *self.pair(3_000, 6_000, -1))
        admin = Line("Administrative expenses", *self.pair(5_000, 9_000, -1))
        operating = total("Operating profit", [gross, other_income, distribution, admin])
        fin_income = Line("Finance income", *self.pair(100, 900), "8")
        fin_costs = Line("Finance costs", *self.pair(1_000, 3_000, -1), "8")
        pbt = total("Profit before tax", [operating, fin_income, fin_costs])
        tax = Line("Income tax expense", -round((pbt.cy or 0) * 0.25), -round((pbt.py or 0) * 0.25))
        tax.note = "9"
        profit = total("Profit for the year", [pbt, tax])
        nci_profit = Line("Non-controlling interests", *self.pair(100, 600))
        owners_profit = Line(
            "Owners of the Company",
            (profit.cy or 0) - (nci_profit.cy or 0),
            (profit.py or 0) - (nci_profit.py or 0),
        )
        pl_lines = [
            revenue,
            cos,
            gross,
            other_income,
            distribution,
            admin,
            operating,
            fin_income,
            fin_costs,
            pbt,
            tax,
            profit,
            spacer(),
            heading("Profit attributable to:"),
            owners_profit,
            nci_profit,
        ]
        if self.expenses_positive:
            costs = (cos, distribution, admin, fin_costs, tax)
            pl_lines = [
                Line(x.label, -(x.cy or 0), -(x.py or 0), x.note) if x in costs else x
                for x in pl_lines
            ]
        self.add(
            two_year_grid(pl_lines, cy, py),
            statement=StatementKind.PROFIT_OR_LOSS,
            title="Consolidated statement of profit or loss",
        )
        # ---- comprehensive income
        remeasure = Line("Remeasurement of defined benefit liability", *self.pair(-400, 400))
        fx = Line(
            "Foreign operations - foreign currency translation differences", *self.pair(-900, 900)
        )
        oci = total("Other comprehensive income for the year, net of tax", [remeasure, fx])
        tci = total("Total comprehensive income for the year", [profit, oci])
        oci_lines = [
            Line("Profit for the year", profit.cy, profit.py),
            spacer(),
            heading("Other comprehensive income"),
            heading("Items that will not be reclassified to profit or loss"),
            remeasure,
            heading("Items that are or may be reclassified subsequently to profit or loss"),
            fx,
            oci,
            tci,
        ]
        self.add(
            two_year_grid(oci_lines, cy, py, with_note=False),
            statement=StatementKind.COMPREHENSIVE_INCOME,
            title="Consolidated statement of comprehensive income",
        )
        # ---- changes in equity (figures first: the balance sheet takes its closing equity)
        share_cap = [5_000.0, 5_000.0, 5_500.0]  # opening py, closing py, closing cy
        premium = [12_000.0, 12_000.0, 13_500.0]
        translation0 = float(self.r(-2_000, 2_000))
        retained0 = float(self.r(20_000, 40_000))
        nci0 = float(self.r(1_000, 3_000))
        div_py, div_cy = -float(self.r(2_000, 5_000)), -float(self.r(2_000, 5_000))
        soce = _Soce(cy, py)
        soce.opening(share_cap[0], premium[0], translation0, retained0, nci0)
        soce.year_rows(
            py,
            owners_profit.py or 0,
            nci_profit.py or 0,
            fx.py or 0,
            remeasure.py or 0,
            div_py,
            issue=(0.0, 0.0),
        )
        soce.year_rows(
            cy,
            owners_profit.cy or 0,
            nci_profit.cy or 0,
            fx.cy or 0,
            remeasure.cy or 0,
            div_cy,
            issue=(share_cap[2] - share_cap[1], premium[2] - premium[1]),
        )
        # ---- financial position
        ppe = Line("Property, plant and equipment", *self.pair(30_000, 60_000), "12")
        intangibles = Line("Intangible assets and goodwill", *self.pair(5_000, 15_000))
        rou = Line("Right-of-use assets", *self.pair(2_000, 6_000))
        dta = Line("Deferred tax assets", *self.pair(200, 1_500))
        tnca = total("Total non-current assets", [ppe, intangibles, rou, dta])
        inventories = Line("Inventories", *self.pair(8_000, 15_000))
        receivables = Line("Trade and other receivables", 0.0, 0.0, "14")
        rec_note = self.receivables_note_figures()
        receivables.cy, receivables.py = rec_note
        eq_cy, eq_py = soce.closing_total(cy), soce.closing_total(py)
        # Liabilities other than trade payables are drawn; cash balances the sheet.
        borrow_nc = Line("Loans and borrowings", *self.pair(10_000, 25_000), "16")
        lease_nc = Line("Lease liabilities", *self.pair(1_500, 4_000))
        provisions_nc = Line("Provisions", 0.0, 0.0, "17")
        dtl = Line("Deferred tax liabilities", *self.pair(300, 2_000))
        prov = self.provision_figures()
        provisions_nc.cy, provisions_nc.py = prov["non_current"]
        tncl = total("Total non-current liabilities", [borrow_nc, lease_nc, provisions_nc, dtl])
        borrow_c = Line("Loans and borrowings", *self.pair(2_000, 6_000), "16")
        lease_c = Line("Lease liabilities", *self.pair(500, 1_500))
        payables = Line("Trade and other payables", *self.pair(9_000, 16_000))
        tax_payable = Line("Current tax liabilities", *self.pair(200, 1_200))
        provisions_c = Line("Provisions", *prov["current"], "17")
        tcl = total(
            "Total current liabilities", [borrow_c, lease_c, payables, tax_payable, provisions_c]
        )
        tl = total("Total liabilities", [tncl, tcl])
        other_assets_cy = (tnca.cy or 0) + (inventories.cy or 0) + (receivables.cy or 0)
        other_assets_py = (tnca.py or 0) + (inventories.py or 0) + (receivables.py or 0)
        cash = Line(
            "Cash and cash equivalents",
            eq_cy + (tl.cy or 0) - other_assets_cy,
            eq_py + (tl.py or 0) - other_assets_py,
            "15",
        )
        if (cash.cy or 0) < 1_000 or (cash.py or 0) < 1_000:
            bump_cy = 1_000 - min(cash.cy or 0, 0) + 2_000
            bump_py = 1_000 - min(cash.py or 0, 0) + 2_000
            payables.cy = (payables.cy or 0) + bump_cy
            payables.py = (payables.py or 0) + bump_py
            cash.cy = (cash.cy or 0) + bump_cy
            cash.py = (cash.py or 0) + bump_py
            tcl = total(
                "Total current liabilities",
                [borrow_c, lease_c, payables, tax_payable, provisions_c],
            )
            tl = total("Total liabilities", [tncl, tcl])
        tca = total("Total current assets", [inventories, receivables, cash])
        ta = total("Total assets", [tnca, tca])
        equity_lines = soce.equity_lines(cy, py)
        attributable = total("Equity attributable to owners of the Company", equity_lines[:4])
        nci = equity_lines[4]
        te = total("Total equity", [attributable, nci])
        tel = total("Total equity and liabilities", [te, tl])
        assert tel.cy == ta.cy and tel.py == ta.py, "builder must balance"
        bs_lines = [
            heading("ASSETS"),
            heading("Non-current assets"),
            ppe,
            intangibles,
            rou,
            dta,
            tnca,
            spacer(),
            heading("Current assets"),
            inventories,
            receivables,
            cash,
            tca,
            ta,
            spacer(),
            heading("EQUITY AND LIABILITIES"),
            heading("Equity"),
            *equity_lines[:4],
            attributable,
            nci,
            te,
            spacer(),
            heading("Non-current liabilities"),
            borrow_nc,
            lease_nc,
            provisions_nc,
            dtl,
            tncl,
            spacer(),
            heading("Current liabilities"),
            borrow_c,
            lease_c,
            payables,
            tax_payable,
            provisions_c,
            tcl,
            tl,
            tel,
        ]
        self.add(
            _dated_grid(bs_lines, cy, py),
            statement=StatementKind.FINANCIAL_POSITION,
            title="Consolidated statement of financial position",
        )
        self.add(
            soce.grid(),
            statement=StatementKind.CHANGES_IN_EQUITY,
            title="Consolidated statement of changes in equity",
        )
        # ---- cash flows
        depreciation = Line("Depreciation", *self.pair(3_000, 6_000))
        amortisation = Line("Amortisation", *self.pair(500, 1_500))
        cf_fin_costs = Line("Finance costs", -(fin_costs.cy or 0), -(fin_costs.py or 0))
        cf_fin_income = Line("Finance income", -(fin_income.cy or 0), -(fin_income.py or 0))
        wc = [
            Line("Change in inventories", *self.pair(-1_500, 1_500)),
            Line("Change in trade and other receivables", *self.pair(-1_500, 1_500)),
            Line("Change in trade and other payables", *self.pair(-1_500, 1_500)),
            Line("Change in provisions", *self.pair(-300, 300)),
        ]
        op_items = [
            Line("Profit for the year", profit.cy, profit.py),
            heading("Adjustments for:"),
            depreciation,
            amortisation,
            cf_fin_costs,
            cf_fin_income,
            Line("Income tax expense", -(tax.cy or 0), -(tax.py or 0)),
            spacer(),
            *wc,
        ]
        generated = total(
            "Cash generated from operating activities", [x for x in op_items if x.cy is not None]
        )
        interest_paid = Line("Interest paid", *self.pair(900, 2_800, -1))
        tax_paid = Line("Income taxes paid", *self.pair(1_000, 5_000, -1))
        net_op = total("Net cash from operating activities", [generated, interest_paid, tax_paid])
        inv = [
            Line("Interest received", fin_income.cy, fin_income.py),
            Line("Acquisition of property, plant and equipment", *self.pair(3_000, 9_000, -1)),
            Line("Proceeds from sale of equipment", *self.pair(0, 800)),
            Line("Acquisition of intangible assets", *self.pair(300, 1_500, -1)),
        ]
        net_inv = total("Net cash used in investing activities", inv)
        fx_effect = Line(
            "Effect of movements in exchange rates on cash held", *self.pair(-200, 200)
        )
        # Financing: proceeds from borrowings balance the change in cash.
        fin = [
            Line("Dividends paid", div_cy, div_py),
            Line(
                "Proceeds from issue of share capital",
                share_cap[2] - share_cap[1] + premium[2] - premium[1],
                0.0,
            ),
            Line("Repayment of borrowings", *self.pair(2_000, 6_000, -1)),
            Line("Payment of lease liabilities", *self.pair(500, 1_500, -1)),
        ]
        cash_open_cy = cash.py or 0
        cash_open_py = float(self.r(3_000, 9_000))
        need_cy = (cash.cy or 0) - cash_open_cy - (fx_effect.cy or 0)
        need_py = (cash.py or 0) - cash_open_py - (fx_effect.py or 0)
        others = total("", fin)
        proceeds = Line(
            "Proceeds from loans and borrowings",
            need_cy - (net_op.cy or 0) - (net_inv.cy or 0) - (others.cy or 0),
            need_py - (net_op.py or 0) - (net_inv.py or 0) - (others.py or 0),
        )
        fin.insert(2, proceeds)
        net_fin = total("Net cash from/(used in) financing activities", fin)
        net_change = total(
            "Net increase/(decrease) in cash and cash equivalents", [net_op, net_inv, net_fin]
        )
        opening = Line("Cash and cash equivalents at 1 January", cash_open_cy, cash_open_py)
        closing = total(
            "Cash and cash equivalents at 31 December", [net_change, opening, fx_effect]
        )
        assert closing.cy == cash.cy and closing.py == cash.py
        cf_lines = [
            heading("Cash flows from operating activities"),
            *op_items,
            generated,
            interest_paid,
            tax_paid,
            net_op,
            spacer(),
            heading("Cash flows from investing activities"),
            *inv,
            net_inv,
            spacer(),
            heading("Cash flows from financing activities"),
            *fin,
            net_fin,
            spacer(),
            net_change,
            opening,
            fx_effect,
            closing,
        ]
        self.add(
            two_year_grid(cf_lines, cy, py, with_note=False),
            statement=StatementKind.CASH_FLOWS,
            title="Consolidated statement of cash flows",
        )
        # ---- notes that tie to the statements
        self.revenue_note(revenue_split)
        self.finance_note(fin_income, fin_costs)
        self.receivables_note()
        self.provisions_note(prov)
        self.borrowings_note(borrow_nc, borrow_c)
        for k in range(extra_notes):
            if k % 3 == 2:
                self.roll_forward_note(20 + k)
            else:
                self.generic_note(20 + k)
        document = Document(
            name=f"Example Group annual report {cy}",
            kind=DocumentKind.DOCX,
            blocks=list(self.tables),
            entity_name="Example Group plc",
            reporting_date=f"{cy}-12-31",
            currency="EUR",
        )
        infer_document_structure(document)  # as the readers do, last
        return document

    # ---- notes
    def receivables_note_figures(self) -> tuple[float, float]:
        gross = self.pair(12_000, 20_000)
        allowance = self.pair(300, 900, -1)
        prepay = self.pair(500, 1_500)
        other = self.pair(200, 1_000)
        self._rec = (gross, allowance, prepay, other)
        return (
            gross[0] + allowance[0] + prepay[0] + other[0],
            gross[1] + allowance[1] + prepay[1] + other[1],
        )

    def receivables_note(self) -> None:
        gross, allowance, prepay, other = self._rec
        g = Line("Trade receivables, gross", *gross)
        a = Line("Loss allowance", *allowance)
        net = total("Net trade receivables", [g, a])
        p = Line("Prepayments", *prepay)
        o = Line("Other receivables", *other)
        t = total("Total trade and other receivables", [net, p, o])
        self.add(
            two_year_grid([g, a, net, p, o, t], self.cy, self.py, with_note=False),
            note="14",
            title="14. Trade and other receivables",
        )

    def provision_figures(self) -> dict[str, tuple[float, float]]:
        opening_py = float(self.r(1_000, 3_000))
        moves_py = [self.r(200, 900), -self.r(100, 600), -self.r(0, 200), self.r(10, 90)]
        closing_py = opening_py + sum(moves_py)
        moves_cy = [self.r(200, 900), -self.r(100, 600), -self.r(0, 200), self.r(10, 90)]
        closing_cy = closing_py + sum(moves_cy)
        current_cy = float(self.r(100, int(closing_cy) // 2))
        current_py = float(self.r(100, int(closing_py) // 2))
        self._prov = (opening_py, moves_py, closing_py, moves_cy, closing_cy)
        return {
            "current": (current_cy, current_py),
            "non_current": (closing_cy - current_cy, closing_py - current_py),
        }

    def provisions_note(self, prov: dict[str, tuple[float, float]]) -> None:
        opening_py, moves_py, closing_py, moves_cy, closing_cy = self._prov
        names = [
            "Provisions made during the year",
            "Provisions used during the year",
            "Provisions reversed during the year",
            "Unwind of discount",
        ]
        lines = [Line("Balance at 1 January", closing_py, opening_py)]
        lines += [
            Line(n, float(c), float(p)) for n, c, p in zip(names, moves_cy, moves_py, strict=True)
        ]
        closing = total("Balance at 31 December", lines)
        current = Line("Current", *prov["current"])
        non_current = Line("Non-current", *prov["non_current"])
        split = total("Total", [current, non_current])
        self.add(
            two_year_grid(
                [*lines, closing, spacer(), current, non_current, split],
                self.cy,
                self.py,
                with_note=False,
            ),
            note="17",
            title="17. Provisions",
        )

    def revenue_note(self, split: list[tuple[float, float]]) -> None:
        lines = [
            Line(n, c, p)
            for n, (c, p) in zip(["Europe", "North America", "Asia Pacific"], split, strict=True)
        ]
        t = total("Total revenue", lines)
        self.add(
            two_year_grid(
                [heading("Revenue by region"), *lines, t], self.cy, self.py, with_note=False
            ),
            note="5",
            title="5. Revenue",
        )

    def finance_note(self, income: Line, costs: Line) -> None:
        i1 = Line(
            "Interest income on bank deposits",
            round((income.cy or 0) * 0.6),
            round((income.py or 0) * 0.6),
        )
        i2 = Line(
            "Net foreign exchange gain",
            (income.cy or 0) - (i1.cy or 0),
            (income.py or 0) - (i1.py or 0),
        )
        ti = total("Finance income", [i1, i2])
        c1 = Line(
            "Interest expense on financial liabilities",
            round((costs.cy or 0) * 0.8),
            round((costs.py or 0) * 0.8),
        )
        c2 = Line(
            "Interest expense on lease liabilities",
            (costs.cy or 0) - (c1.cy or 0),
            (costs.py or 0) - (c1.py or 0),
        )
        tc = total("Finance costs", [c1, c2])
        net = total("Net finance costs recognised in profit or loss", [ti, tc])
        self.add(
            two_year_grid(
                [i1, i2, ti, spacer(), c1, c2, tc, spacer(), net], self.cy, self.py, with_note=False
            ),
            note="8",
            title="8. Finance income and finance costs",
        )

    def borrowings_note(self, nc: Line, c: Line) -> None:
        bank_nc = Line("Secured bank loans", round((nc.cy or 0) * 0.7), round((nc.py or 0) * 0.7))
        bonds = Line(
            "Unsecured bonds", (nc.cy or 0) - (bank_nc.cy or 0), (nc.py or 0) - (bank_nc.py or 0)
        )
        tnc = total("Total non-current loans and borrowings", [bank_nc, bonds])
        bank_c = Line(
            "Current portion of secured bank loans",
            round((c.cy or 0) * 0.5),
            round((c.py or 0) * 0.5),
        )
        overdraft = Line(
            "Unsecured bank facility",
            (c.cy or 0) - (bank_c.cy or 0),
            (c.py or 0) - (bank_c.py or 0),
        )
        tc = total("Total current loans and borrowings", [bank_c, overdraft])
        t = total("Total loans and borrowings", [tnc, tc])
        self.add(
            two_year_grid(
                [
                    heading("Non-current liabilities"),
                    bank_nc,
                    bonds,
                    tnc,
                    spacer(),
                    heading("Current liabilities"),
                    bank_c,
                    overdraft,
                    tc,
                    spacer(),
                    t,
                ],
                self.cy,
                self.py,
                with_note=False,
            ),
            note="16",
            title="16. Loans and borrowings",
        )

    def generic_note(self, number: int) -> None:
        """A note with two or three blocks of items and subtotals, the commonest shape."""
        lines: list[Line] = []
        subtotals: list[Line] = []
        for block in range(self.r(2, 3)):
            items = [
                Line(f"Item {number}.{block}.{k}", *self.pair(10, 9_000))
                for k in range(self.r(3, 7))
            ]
            sub = total(f"Total category {block + 1}", items)
            lines += [heading(f"Category {block + 1}"), *items, sub, spacer()]
            subtotals.append(sub)
        lines.append(total("Total", subtotals))
        self.add(
            two_year_grid(lines, self.cy, self.py, with_note=False),
            note=str(number),
            title=f"{number}. Other note {number}",
        )

    def roll_forward_note(self, number: int) -> None:
        """An asset note: class columns and a total, cost and depreciation rolled forward over two
        years, carrying amounts (the widest common note shape)."""
        classes = [
            "Land and buildings",
            "Plant and machinery",
            "Vehicles",
            "Fixtures",
            "Work in progress",
        ]
        cost = [float(self.r(2_000, 40_000)) for _ in classes]
        dep = [float(self.r(100, int(c) // 2)) for c in cost]
        grid: Grid = [["", *classes, "Total"]]

        def row(label: str, values: list[float] | None) -> None:
            if values is None:
                grid.append([label] + [""] * (len(classes) + 1))
            else:
                grid.append([label, *(fmt(v) for v in values), fmt(sum(values))])

        closing: dict[tuple[str, int], list[float]] = {}
        for section, balance in (("Cost", cost), ("Accumulated depreciation", dep)):
            row(section, None)
            row(f"Balance at 1 January {self.py}", balance)
            for year in (self.py, self.cy):
                adds = [float(self.r(0, 3_000)) for _ in classes]
                outs = [-float(self.r(0, int(b) // 10)) for b in balance]
                if year == self.cy:
                    row(f"Balance at 1 January {year}", balance)
                row("Additions" if section == "Cost" else "Charge for the year", adds)
                row("Disposals", outs)
                balance = [b + a + o for b, a, o in zip(balance, adds, outs, strict=True)]
                row(f"Balance at 31 December {year}", balance)
                closing[(section, year)] = balance
            row("", None)
        row("Carrying amounts", None)
        for year in (self.py, self.cy):
            carrying = [
                c - d
                for c, d in zip(
                    closing[("Cost", year)],
                    closing[("Accumulated depreciation", year)],
                    strict=True,
                )
            ]
            row(f"At 31 December {year}", carrying)
        self.add(grid, note=str(number), title=f"{number}. Other assets {number}")


def _dated_grid(lines: Sequence[Line], cy: int, py: int) -> Grid:
    grid = two_year_grid(lines, cy, py)
    grid[0] = ["", "Note", f"31 December {cy}", f"31 December {py}"]
    return grid


class _Soce:
    """Changes in equity: component columns, movement rows, two years."""

    HEADERS = [
        "Share capital",
        "Share premium",
        "Translation reserve",
        "Retained earnings",
        "Total",
        "Non-controlling interests",
        "Total equity",
    ]

    def __init__(self, cy: int, py: int) -> None:
        self.cy, self.py = cy, py
        self.rows: list[tuple[str, list[float] | None]] = []
        self.closing: dict[int, list[float]] = {}

    def _row(self, label: str, parts: list[float]) -> None:
        owners = parts[:4]
        values = [*owners, sum(owners), parts[4], sum(owners) + parts[4]]
        self.rows.append((label, values))

    def opening(self, cap: float, prem: float, trans: float, ret: float, nci: float) -> None:
        self.balance = [cap, prem, trans, ret, nci]
        self._row(f"Balance at 1 January {self.py}", self.balance)

    def year_rows(
        self,
        year: int,
        owners_profit: float,
        nci_profit: float,
        fx: float,
        remeasure: float,
        dividends: float,
        issue: tuple[float, float],
    ) -> None:
        moves: list[tuple[str, list[float]]] = []
        profit = [0.0, 0.0, 0.0, owners_profit, nci_profit]
        oci = [0.0, 0.0, fx, remeasure, 0.0]
        tci = [a + b for a, b in zip(profit, oci, strict=True)]
        self.rows.append(("", None))
        self.rows.append((f"Total comprehensive income for {year}", None))
        self._row("Profit for the year", profit)
        self._row("Other comprehensive income", oci)
        self._row("Total comprehensive income for the year", tci)
        self.rows.append(("", None))
        self.rows.append(("Transactions with owners of the Company", None))
        moves.append(("Dividends", [0.0, 0.0, 0.0, dividends, 0.0]))
        if issue != (0.0, 0.0):
            moves.append(("Issue of ordinary shares", [issue[0], issue[1], 0.0, 0.0, 0.0]))
        for label, parts in moves:
            self._row(label, parts)
        if len(moves) > 1:
            owners = [sum(p[i] for _, p in moves) for i in range(5)]
            self._row("Total transactions with owners of the Company", owners)
        delta = [
            a + b for a, b in zip(tci, [sum(p[i] for _, p in moves) for i in range(5)], strict=True)
        ]
        self.balance = [a + b for a, b in zip(self.balance, delta, strict=True)]
        self.closing[year] = list(self.balance)
        self._row(f"Balance at 31 December {year}", self.balance)

    def closing_total(self, year: int) -> float:
        return sum(self.closing[year])

    def equity_lines(self, cy: int, py: int) -> list[Line]:
        names = [
            "Share capital",
            "Share premium",
            "Translation reserve",
            "Retained earnings",
            "Non-controlling interests",
        ]
        return [Line(n, self.closing[cy][i], self.closing[py][i]) for i, n in enumerate(names)]

    def grid(self) -> Grid:
        grid: Grid = [["", *self.HEADERS]]
        for label, values in self.rows:
            grid.append([label, *(fmt(v) if values else "" for v in (values or [None] * 7))])
        return grid
