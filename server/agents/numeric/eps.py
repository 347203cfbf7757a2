"""Earnings per share: EPS = profit attributable to ordinary holders / weighted average shares.

Checked only where one table prints all three (the EPS note, usually), each year, with the
IFRS 0130 tolerance of 4 units of the last printed EPS decimal. Units come from the labels
("(GH₵'000)", "in thousands", "pence"); a result off by a power of 1,000 means the units were
misread, not that EPS is wrong, so it is skipped.
"""

from __future__ import annotations

import re

from generated.models import NumericCheck
from server.agents.numeric.figures import Figure, by_year, data_rows
from server.agents.numeric.labels import Concept, clean, concept_of
from server.agents.numeric.ledger import Cells, Ledger, period_label
from server.ingest.document import Document, Row, Table
from server.text.labels import normalise_label

_EPS = re.compile(r"\bearnings per (ordinary )?share\b|^(basic|diluted) eps\b")
_PROFIT = re.compile(
    r"^(profit|earnings|net profit|net income)( for the (year|period))?"
    r"( attributable to (the )?(ordinary )?(equity holders|owners|shareholders|holders)\b.*)?"
)
_ORDINARY = re.compile(r"attributable to (the )?(ordinary|owners|equity holders|shareholders)")
_SHARES = re.compile(r"\b(weighted average )?number of (ordinary )?shares\b")
EPS_TOLERANCE_UNITS = 4


def check_eps(document: Document, ledger: Ledger) -> None:
    for table in document.tables:
        eps = [r for r in data_rows(table) if _EPS.search(clean(r.label))]
        if not eps:
            continue
        profit = [
            r
            for r in data_rows(table)
            if not _EPS.search(clean(r.label))
            and (_PROFIT.match(_raw(r)) or concept_of(r.label) is Concept.PROFIT_FOR_YEAR)
        ]
        attributable = [r for r in profit if _ORDINARY.search(_raw(r))]
        if len(attributable) == 1 or len(profit) == 1:
            numerator = (attributable or profit)[0]
        else:
            continue  # which profit the EPS divides is unclear
        shares = [r for r in data_rows(table) if _SHARES.search(_raw(r))]
        for row in eps:
            diluted = "dilut" in clean(row.label) and "basic" not in clean(row.label)
            counts = [r for r in shares if ("dilut" in clean(r.label)) == diluted]
            if len(counts) == 1:
                _check(table, row, numerator, counts[0], ledger)
            elif counts or shares:
                ledger.skip(NumericCheck.eps)


def _raw(row: Row) -> str:
    """The normalised label with its unit note kept ("profit for the year (gh₵'000)")."""
    return normalise_label(row.label)


def _multiplier(label: str, default: float) -> float:
    s = label.lower()
    if re.search(r"'000|\b000s?\b|thousand", s):
        return 1e3
    if re.search(r"\bmillion|\bmn\b|\bm\)", s):
        return 1e6
    if re.search(r"\((?:[a-z$€£₵₸₽]{1,4}|[a-z]{0,3}[$€£₵₸₽])\)", s):
        return 1.0  # a bare currency note: the figure is in currency units
    return default


def _check(table: Table, eps_row: Row, profit_row: Row, shares_row: Row, ledger: Ledger) -> None:
    eps_figs = by_year(table, eps_row)
    profit_figs = by_year(table, profit_row)
    share_figs = by_year(table, shares_row)
    eps_label = _raw(eps_row)
    cents = 0.01 if re.search(r"\b(cents?|pence|kobo|pesewas?)\b", eps_label) else 1.0
    for year, eps in sorted(eps_figs.items()):
        profit, shares = profit_figs.get(year), share_figs.get(year)
        if profit is None or shares is None or shares.value <= 0:
            continue
        earned = profit.value * _multiplier(_raw(profit_row), table.scale)
        count = shares.value * _multiplier(_raw(shares_row), 1.0)
        expected = earned / count / cents
        if expected == 0 or eps.value == 0:
            continue
        ratio = abs(eps.value / expected)
        if any(0.9 * k <= ratio <= 1.1 * k for k in (1e-6, 1e-3, 1e3, 1e6)):
            ledger.skip(NumericCheck.eps)
            continue
        period = period_label(table, eps.column, eps_row.label)
        ledger.compare(
            NumericCheck.eps,
            actual=eps.value,
            expected=round(expected, 6),
            tolerance=EPS_TOLERANCE_UNITS * eps.unit + 1e-12,
            table=table,
            row=eps_row.index,
            period=period,
            title=f"Earnings per share does not equal profit / shares ({period})",
            detail=f"'{eps_row.label.strip()}' should equal '{profit_row.label.strip()}' divided "
            f"by '{shares_row.label.strip()}'.",
            locations=[_cells(eps), _cells(profit), _cells(shares)],
            key=(eps.column,),
            scale="units",
        )


def _cells(fig: Figure) -> Cells:
    return Cells(fig.table, [(fig.row.index, fig.column)])
