"""The numeric agent: do the figures add up, and do they agree with each other?

Every check runs for every period column and either passes or becomes a finding; a check whose
structure is uncertain is counted as skipped, never guessed. One module per responsibility:

- `footing`: every total and subtotal the structure inference explained (reported as
  roll-forwards for closing balances and as equations for total assets, total comprehensive
  income and the net change in cash), and "Total" columns cross-footed row by row;
- `chains`: totals in tables continued across pages, summing rows of the earlier part;
- `balances`: opening balances against the prior closing balance;
- `carrying`: carrying amounts = cost less accumulated depreciation, by date;
- `equations`: assets = equity + liabilities, and the equations footing could not re-add;
- `ties`: profit, cash, equity components and non-cash adjustments across statements;
- `notes`: a statement line against the total of the note it cites;
- `eps`: EPS = profit attributable / weighted average shares.

Tolerances follow Calculations 1.1 ((n + 1) * u / 2 for n rounded components of unit u) and the
DQC same-figure rule (2 units of the coarser precision); `ledger` decides severities.
"""

from __future__ import annotations

from generated.models import NumericResult, NumericSummary
from server.agents.base import AuditInputs, Progress, no_progress
from server.agents.numeric.balances import check_opening_balances
from server.agents.numeric.carrying import check_carrying_amounts
from server.agents.numeric.chains import continued_components
from server.agents.numeric.eps import check_eps
from server.agents.numeric.equations import check_equations
from server.agents.numeric.footing import foot_table
from server.agents.numeric.ledger import Ledger
from server.agents.numeric.notes import check_note_ties
from server.agents.numeric.ties import check_ties
from server.ingest.document import ColumnRole, Document
from server.workers import offload

PROGRESS_EVERY_TABLES = 5


async def run(inputs: AuditInputs, progress: Progress | None = None) -> NumericResult:
    return await offload(audit, inputs.document, progress=progress)


def audit(document: Document, progress: Progress = no_progress) -> NumericResult:
    """Every numeric check over one document (sync, CPU-bound: `run` offloads it to a worker)."""
    ledger = Ledger()
    tables = document.tables
    steps = len(tables) + 4
    borrowed = continued_components(document)
    for done, table in enumerate(tables):
        foot_table(table, ledger, borrowed)
        if done % PROGRESS_EVERY_TABLES == 0:
            progress(done, steps, f"table {done + 1} of {len(tables)}")
    progress(len(tables), steps, "opening balances")
    check_opening_balances(document, ledger)
    check_carrying_amounts(document, ledger, frozenset(borrowed))
    progress(len(tables) + 1, steps, "fundamental equations")
    check_equations(document, ledger, frozenset(borrowed))
    progress(len(tables) + 2, steps, "ties across statements")
    check_ties(document, ledger)
    progress(len(tables) + 3, steps, "ties to notes")
    check_note_ties(document, ledger)
    check_eps(document, ledger)
    progress(steps, steps, "done")
    tallies = ledger.tallies.values()
    numbers = sum(
        1
        for t in tables
        for c in t.columns
        if c.role is ColumnRole.AMOUNT
        for r in t.rows
        if r.value(c.index) is not None
    )
    summary = NumericSummary(
        checks_run=sum(t.run for t in tallies),
        checks_failed=sum(t.failed for t in tallies),
        checks_skipped=sum(t.skipped for t in tallies),
        by_check=ledger.by_check(),
        tables=len(tables),
        numbers=numbers,
    )
    return NumericResult(agent="numeric", summary=summary, findings=ledger.in_document_order())
